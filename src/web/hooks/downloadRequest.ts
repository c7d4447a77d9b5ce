// "Download these weights there": a model card (its Download button, a refused switch, a refused
// check) asks, and the download dialog opens pre-filled with the repo and the nodes that lack it.
// A tiny store shared without props, like swapFocus.ts.

export interface DownloadRequest {
  repo: string;
  nodes: string[];
  /** Bumped on every request, so asking twice for the same repo opens the dialog again. */
  seq: number;
}

let current: DownloadRequest | null = null;
let seq = 0;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function requestDownload(repo: string, nodes: readonly string[]): void {
  current = { repo, nodes: [...nodes], seq: ++seq };
  for (const l of listeners) l();
}

/** Calls `listener` with each new request (the dialog opens on it); returns the unsubscribe. */
export function onDownloadRequest(listener: (r: DownloadRequest) => void): () => void {
  return subscribe(() => {
    if (current) listener(current);
  });
}
