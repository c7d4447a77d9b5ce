// A container's live log under its card. Mounted only while open, so closing it (or leaving the
// tab) closes the stream.
import { useLogTail } from '../../hooks/useLogTail.js';
import { LogTail } from './LogTail.js';

const STATUS = { connecting: 'connecting…', live: 'live', ended: 'stream ended' } as const;

export function LogDrawer({ name }: { name: string }) {
  const { log, state, error } = useLogTail(name);
  return (
    <div className="log-drawer" data-testid={`log-drawer-${name}`} data-state={state}>
      {error ? (
        <p className="small error-text" role="alert">
          Log stream: {error}
        </p>
      ) : null}
      <LogTail
        lines={log.lines.map((l) => l.line)}
        dropped={log.dropped}
        label={`${name} container log`}
        empty={state === 'ended' ? 'No log lines (the stream ended).' : 'Waiting for log lines…'}
        status={STATUS[state]}
        testId={`log-tail-${name}`}
      />
    </div>
  );
}
