// The LLM, Audio and Data tabs; the active one is remembered per browser.
import * as Tabs from '@radix-ui/react-tabs';
import { usePersistentState } from '../hooks/usePersistentState.js';
import { AudioTab } from './audio/AudioTab.js';
import { DataTab } from './data/DataTab.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { LlmTab } from './LlmTab.js';

const TABS = ['llm', 'audio', 'data'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string): v is Tab => (TABS as readonly string[]).includes(v);

export function ServiceTabs() {
  const [tab, setTab] = usePersistentState<Tab>('spark-control.tab', TABS, 'llm');
  return (
    <Tabs.Root className="tabs" value={tab} onValueChange={(v) => isTab(v) && setTab(v)}>
      <Tabs.List className="tab-list" aria-label="Services">
        <Tabs.Trigger className="tab" value="llm" data-testid="tab-llm">
          LLM
        </Tabs.Trigger>
        <Tabs.Trigger className="tab" value="audio" data-testid="tab-audio">
          Audio
        </Tabs.Trigger>
        <Tabs.Trigger className="tab" value="data" data-testid="tab-data">
          Data
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content className="tab-panel" value="llm">
        <ErrorBoundary what="LLM">
          <LlmTab />
        </ErrorBoundary>
      </Tabs.Content>
      <Tabs.Content className="tab-panel" value="audio">
        <ErrorBoundary what="Audio">
          <AudioTab />
        </ErrorBoundary>
      </Tabs.Content>
      <Tabs.Content className="tab-panel" value="data">
        <ErrorBoundary what="Data">
          <DataTab />
        </ErrorBoundary>
      </Tabs.Content>
    </Tabs.Root>
  );
}
