// The swap's log: monospace, follows new lines unless the user scrolled up to read.
import { useFollowingLog } from '../hooks/useFollowingLog.js';
import type { LogStreamState } from '../hooks/useSwapLog.js';
import type { LogBuffer } from '../lib/logBuffer.js';
import { VisibleText } from './VisibleText.js';

const STREAM_TEXT: Record<LogStreamState, string> = {
  connecting: 'connecting…',
  live: 'live',
  ended: 'complete',
  reconnecting: 'reconnecting…',
  unavailable: 'full log unavailable: last lines only',
};

interface Props {
  log: LogBuffer;
  /** Shown until the stream delivers lines (the last lines the server sent with the swap). */
  fallback: readonly string[];
  streamState: LogStreamState;
}

export function SwapLog({ log, fallback, streamState }: Props) {
  const lines = log.lines.length > 0 ? log.lines.map((l) => l.line) : fallback;
  const { ref, text, following, onScroll, jump } = useFollowingLog(lines);

  return (
    <div className="swap-log-wrap">
      <div className="swap-log-head small muted">
        <span>Log</span>
        {log.dropped > 0 ? <span>{log.dropped} earlier lines not kept</span> : null}
        <span className={`log-stream log-${streamState}`}>{STREAM_TEXT[streamState]}</span>
      </div>
      <pre
        ref={ref}
        className="swap-log"
        data-testid="swap-log"
        tabIndex={0}
        aria-label="Swap log"
        onScroll={onScroll}
      >
        {text ? (
          <VisibleText text={text} multiline />
        ) : streamState === 'ended' ? (
          'No log lines.'
        ) : (
          'Waiting for log lines…'
        )}
      </pre>
      {!following ? (
        <button type="button" className="btn swap-log-jump" onClick={jump}>
          ↓ Latest lines
        </button>
      ) : null}
    </div>
  );
}
