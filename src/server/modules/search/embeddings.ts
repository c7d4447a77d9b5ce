// The query's embedding, from the OpenAI-shaped embeddings server the gateway relays /v1/embeddings
// to (embeddings_url). The model id is the server's own (its GET /v1/models, asked once and kept):
// a search must embed with the model that embedded the collection, and the server knows which one
// it serves; a client cannot pick a different one by accident. When the list cannot be read the
// request goes without `model` (vLLM then uses the one it serves). undici directly: one JSON POST.
import { request } from 'undici';
import { AppError } from '../../platform/http/errors.js';

export interface Embedder {
  embed(text: string): Promise<number[]>;
}

const MAX_ANSWER = 16 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first model id of an OpenAI model list, or null. */
export function firstModelId(body: unknown): string | null {
  const data = isObj(body) ? body.data : undefined;
  const first: unknown = Array.isArray(data) ? data[0] : undefined;
  return isObj(first) && typeof first.id === 'string' && first.id !== '' ? first.id : null;
}

/** The vector of an OpenAI embeddings answer (`data[0].embedding`), or null when it has none. */
export function embeddingOf(body: unknown): number[] | null {
  const data = isObj(body) ? body.data : undefined;
  const first: unknown = Array.isArray(data) ? data[0] : undefined;
  const v = isObj(first) ? first.embedding : undefined;
  if (!Array.isArray(v) || v.length === 0) return null;
  return v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : null;
}

class Unreachable extends Error {}

async function call(
  url: string,
  o: { body?: Json; timeoutMs: number },
): Promise<{ status: number; body: unknown }> {
  let res;
  try {
    res = await request(url, {
      method: o.body ? 'POST' : 'GET',
      headers: o.body ? { 'content-type': 'application/json' } : {},
      body: o.body ? JSON.stringify(o.body) : undefined,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT') {
      throw new AppError('TIMEOUT', 'the embeddings service did not answer in time', { cause: err });
    }
    throw new Unreachable(typeof code === 'string' ? code : 'no answer');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER) throw new Error('answer too large');
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    res.body.destroy();
    throw new Unreachable(err instanceof Error ? err.message : 'broken answer');
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = null; // not JSON: the caller sees no embedding in it
  }
  return { status: res.statusCode, body };
}

export function createEmbedder(baseUrl: string, o: { timeoutMs?: number } = {}): Embedder {
  const base = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const timeoutMs = o.timeoutMs ?? 60_000;
  let model: Promise<string | null> | null = null;
  const modelId = (): Promise<string | null> => {
    model ??= call(`${base}/v1/models`, { timeoutMs })
      .then((r) => (r.status === 200 ? firstModelId(r.body) : null))
      .catch(() => null);
    return model;
  };
  return {
    async embed(text) {
      try {
        const id = await modelId();
        const r = await call(`${base}/v1/embeddings`, {
          body: id ? { input: text, model: id } : { input: text },
          timeoutMs,
        });
        if (r.status !== 200) {
          model = null; // the server may serve another model now: ask again next time
          if (r.status === 400 || r.status === 413) {
            throw new AppError(
              'BAD_REQUEST',
              `The embeddings service refused the query (HTTP ${r.status}); is it too long?`,
            );
          }
          throw new AppError('UPSTREAM_ERROR', `the embeddings service answered HTTP ${r.status}`);
        }
        const vector = embeddingOf(r.body);
        if (!vector)
          throw new AppError('UPSTREAM_ERROR', 'the embeddings service answered without an embedding');
        return vector;
      } catch (err) {
        if (err instanceof Unreachable) {
          model = null;
          throw new AppError('UPSTREAM_ERROR', `embeddings unreachable (${err.message})`, { cause: err });
        }
        throw err;
      }
    },
  };
}
