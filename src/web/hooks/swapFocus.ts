// "Show me the swap I just started": Switch asks for it, the swap panel answers by scrolling
// itself into view when that swap's panel is on screen (which may be a moment after the request
// returns, once the swap's state reaches the page). A tiny store, shared without props.
import { useSyncExternalStore } from 'react';

let requested: string | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: string | null) {
  if (requested === next) return;
  requested = next;
  for (const l of listeners) l();
}

/** Asks the panel of swap `id` to come into view. */
export function requestSwapFocus(id: string): void {
  set(id);
}

/** The panel of swap `id` took the request. */
export function clearSwapFocus(id: string): void {
  if (requested === id) set(null);
}

/** The swap whose panel should come into view, or null. */
export function useRequestedSwapFocus(): string | null {
  return useSyncExternalStore(subscribe, () => requested);
}
