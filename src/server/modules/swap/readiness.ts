// Polls vLLM's /v1/models until the swapped-in model is listed. Half a second between polls keeps
// readiness detection within a second of vLLM being ready (the benchmark target).
import { request, type Dispatcher } from 'undici';

export function servesModel(ids: string[], served: string, path: string | null): boolean {
  // A local path is listed as vLLM saw it: "$HOME" expanded, so compare the part after `~/`.
  const tail = path?.startsWith('~/') ? path.slice(1) : null;
  return ids.some((id) => id === served || (tail !== null && id.endsWith(tail)));
}

export async function listModels(
  baseUrl: string,
  dispatcher?: Dispatcher,
  timeoutMs = 2000,
): Promise<string[] | null> {
  try {
    const res = await request(`${baseUrl}/models`, {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    const data = (JSON.parse(text) as { data?: { id?: unknown }[] }).data ?? [];
    return data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return null;
  }
}

export async function waitUntilServed(
  baseUrl: string,
  served: string,
  path: string | null,
  signal: AbortSignal,
  intervalMs = 500,
): Promise<void> {
  while (!signal.aborted) {
    const ids = await listModels(baseUrl);
    if (ids && servesModel(ids, served, path)) return;
    await new Promise<void>((resolve) => {
      const onAbort = () => (clearTimeout(t), resolve());
      // Remove the listener after each sleep, or a long load piles up one per poll.
      const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), intervalMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  throw signal.reason ?? new Error('aborted');
}
