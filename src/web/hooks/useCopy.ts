// Click-to-copy state: "Copied" for a moment after success, "failed" when the browser refused
// (the caller then selects the text so Ctrl+C works).
import { useCallback, useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard.js';

export type CopyState = 'idle' | 'copied' | 'failed';

export function useCopy(resetMs = 1_500) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), state === 'failed' ? 4_000 : resetMs);
    return () => clearTimeout(t);
  }, [state, resetMs]);

  const copy = useCallback(async (text: string): Promise<boolean> => {
    const ok = await copyText(text);
    setState(ok ? 'copied' : 'failed');
    return ok;
  }, []);

  return { state, copy };
}
