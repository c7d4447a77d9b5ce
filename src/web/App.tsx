import { useQueryClient } from '@tanstack/react-query';
import { AuthWarningBanner } from './components/AuthWarningBanner.js';
import { EndpointCard } from './components/EndpointCard.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { HardwareSection } from './components/HardwareSection.js';
import { ServiceTabs } from './components/ServiceTabs.js';
import { SimBanner } from './components/SimBanner.js';
import { SwapPanel } from './components/SwapPanel.js';
import { TopBar } from './components/TopBar.js';
import { StreamStateContext } from './hooks/streamState.js';
import { useEventStream } from './hooks/useEventStream.js';

export function App() {
  const client = useQueryClient();
  const stream = useEventStream(client);

  return (
    <StreamStateContext value={stream}>
      <TopBar stream={stream} />
      <main className="page">
        <SimBanner />
        <AuthWarningBanner />
        <ErrorBoundary what="hardware">
          <HardwareSection />
        </ErrorBoundary>
        <ErrorBoundary what="swap">
          <SwapPanel />
        </ErrorBoundary>
        <ErrorBoundary what="endpoint">
          <EndpointCard />
        </ErrorBoundary>
        <ServiceTabs />
      </main>
    </StreamStateContext>
  );
}
