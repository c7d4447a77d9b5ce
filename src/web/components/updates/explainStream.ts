// `POST /api/explain-updates` read as it streams (EventSource cannot POST): a refusal before the
// stream is thrown as the server's ApiError; each `data:` event goes to `onEvent` as it arrives.
import type { ExplainEvent } from '../../../common/updates-api.js';
import { sseDataSplitter } from '../../../common/sse-data.js';
import { ApiError } from '../../api/client.js';

const TYPES = new Set(['start', 'reasoning', 'content', 'error', 'done']);

function parse(data: string): ExplainEvent | null {
  try {
    const e = JSON.parse(data) as { type?: unknown } | null;
    return e && typeof e === 'object' && typeof e.type === 'string' && TYPES.has(e.type)
      ? (e as ExplainEvent)
      : null;
  } catch {
    return null;
  }
}

async function refusal(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (typeof body.error?.message === 'string')
      return new ApiError(res.status, body.error.code ?? `HTTP_${res.status}`, body.error.message);
  } catch {
    // Not JSON: the status says enough.
  }
  return new ApiError(res.status, `HTTP_${res.status}`, `Request failed (HTTP ${res.status}).`);
}

export async function streamExplain(signal: AbortSignal, onEvent: (e: ExplainEvent) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/explain-updates', {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the Spark Control server.');
  }
  if (!res.ok || !res.body) throw await refusal(res);
  const split = sseDataSplitter();
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  const deliver = (payloads: string[]) => {
    for (const p of payloads) {
      const e = parse(p);
      if (e) onEvent(e);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    deliver(split.push(decoder.decode(value, { stream: true })));
  }
  deliver([...split.push(decoder.decode()), ...split.end()]);
}
