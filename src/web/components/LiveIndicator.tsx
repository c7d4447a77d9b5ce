// "live" while the event stream is connected, "reconnecting" while it is not.
import type { StreamState } from '../hooks/streamState.js';

const TEXT: Record<StreamState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  restarting: 'server restarting…',
};

const TITLE: Record<StreamState, string> = {
  connecting: 'Connecting to the live event stream.',
  live: 'Hardware and status update live from the server.',
  reconnecting: 'Lost the live event stream; reconnecting. Data is refreshed by polling meanwhile.',
  restarting: 'Spark Control is restarting; the dashboard reconnects when it is back.',
};

export function LiveIndicator({ state }: { state: StreamState }) {
  return (
    <span
      className={`pill live-indicator live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      title={TITLE[state]}
    >
      <span className="live-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
