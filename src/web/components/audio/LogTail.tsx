// A monospace log that follows new lines, unless the user scrolled up to read; "↓ Latest lines"
// brings it back. Shared by the container-log drawer and every job log on the Audio tab.
import { useFollowingLog } from '../../hooks/useFollowingLog.js';
import { VisibleText } from '../VisibleText.js';

interface Props {
  lines: readonly string[];
  /** Accessible name, e.g. "parakeet container log". */
  label: string;
  /** Shown while there are no lines. */
  empty: string;
  /** Short stream state on the head line ("live", "ended"…). */
  status?: string;
  dropped?: number;
  testId?: string;
}

export function LogTail({ lines, label, empty, status, dropped = 0, testId }: Props) {
  const { ref, text, following, onScroll, jump } = useFollowingLog(lines);

  return (
    <div className="swap-log-wrap">
      {status || dropped > 0 ? (
        <div className="swap-log-head small muted">
          {dropped > 0 ? <span>{dropped} earlier lines not kept</span> : null}
          {status ? <span className="log-stream">{status}</span> : null}
        </div>
      ) : null}
      <pre
        ref={ref}
        className="swap-log audio-log"
        data-testid={testId}
        data-following={following ? 'true' : 'false'}
        tabIndex={0}
        aria-label={label}
        onScroll={onScroll}
      >
        {text ? <VisibleText text={text} multiline /> : empty}
      </pre>
      {!following ? (
        <button type="button" className="btn swap-log-jump" onClick={jump}>
          ↓ Latest lines
        </button>
      ) : null}
    </div>
  );
}
