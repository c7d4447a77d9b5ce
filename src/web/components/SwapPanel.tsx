// The swap panel above the tabs: shown while a swap runs and after it ends until dismissed (or,
// after a reload, for a while after it ended). Re-attaches to a running swap's log on load.
import { useState } from 'react';
import { useSwapCurrent } from '../hooks/llmQueries.js';
import { readStoredString, writeStored } from '../hooks/usePersistentState.js';
import { isSwapRunning, shouldShowSwapPanel } from '../lib/swap.js';
import { SwapPanelBody } from './SwapPanelBody.js';

const DISMISSED_KEY = 'spark-control.swap-dismissed';

export function SwapPanel() {
  const { data: swap, dataUpdatedAt } = useSwapCurrent();
  const [dismissedId, setDismissedId] = useState(() => readStoredString(DISMISSED_KEY));
  const [watchedId, setWatchedId] = useState<string | null>(null);
  const [mountedAt] = useState(() => Date.now());

  // Remember a swap this page saw running, so it stays on screen after it ends.
  if (swap && isSwapRunning(swap) && watchedId !== swap.id) setWatchedId(swap.id);

  const visible = shouldShowSwapPanel(swap, {
    dismissedId,
    watched: swap?.id === watchedId,
    now: mountedAt,
  });
  if (!swap || !visible) return null;

  const dismiss = () => {
    setDismissedId(swap.id);
    writeStored(DISMISSED_KEY, swap.id);
  };

  return <SwapPanelBody key={swap.id} swap={swap} receivedAt={dataUpdatedAt} onDismiss={dismiss} />;
}
