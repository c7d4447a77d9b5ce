// A log view that follows new lines unless the user scrolled up to read; `jump` brings it back.
// Moments with a zone (ISO 8601) in the text are shown in the owner's local time.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { isNearBottom } from '../lib/jobs.js';
import { localizeTimes } from '../lib/time.js';

export function useFollowingLog(lines: readonly string[]) {
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);
  // Only decides "today" or not for a moment in a line; the log does not need a ticking clock.
  const [openedAt] = useState(() => Date.now());
  const joined = lines.join('\n');
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

  return { ref, text, following, onScroll, jump };
}
