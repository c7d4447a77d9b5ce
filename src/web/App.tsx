import { useQueryClient } from '@tanstack/react-query';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { HardwareSection } from './components/HardwareSection.js';
import { SimBanner } from './components/SimBanner.js';
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
        <ErrorBoundary what="hardware">
          <HardwareSection />
        </ErrorBoundary>
      </main>
    </StreamStateContext>
  );
}
