// A monospace log that follows new lines, unless the user scrolled up to read; "↓ Latest lines"
// brings it back. Shared by the container-log drawer and every job log on the Audio tab.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { isNearBottom } from '../../lib/jobs.js';
import { localizeTimes } from '../../lib/time.js';
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
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  // Only decides "today" or not for a moment in a line; the log does not need a ticking clock.
  const [openedAt] = useState(() => Date.now());
  const joined = lines.join('\n');
  // Moments with a zone (ISO 8601) are shown in the owner's local time, like everywhere else.
  const text = useMemo(() => localizeTimes(joined, openedAt), [joined, openedAt]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = isNearBottom(el);
    follow.current = atBottom;
    setFollowing(atBottom);
  };
  const jump = () => {
    const el = ref.current;
    if (!el) return;
    follow.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  };

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
