// Qdrant through its official JS client (@qdrant/js-client-rest): the client builds the paths
// (collection names URL-encoded with encodeURIComponent) and the bodies of points/query. What it
// throws is turned into what our clients see by `qdrantFailure` (pure, tested): unreachable → 502
// "qdrant unreachable", no such collection → 404, a refused filter → 400 with Qdrant's short
// error, a refused or missing API key (401/403) → 502 naming the setting (never the key), anything
// else → 502 with the status only.
import { QdrantClient, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import type { SearchHit } from '../../../common/search-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { SearchInput } from './validate.js';

/** Qdrant's `status.error` is short; a longer one (a serde dump) is clipped, never relayed whole. */
const MAX_UPSTREAM_MESSAGE = 200;
const clip = (s: string) => (s.length > MAX_UPSTREAM_MESSAGE ? `${s.slice(0, MAX_UPSTREAM_MESSAGE)}…` : s);

export interface QdrantApi {
  collections(): Promise<{ name: string }[]>;
  query(input: SearchInput & { vector: number[] }): Promise<SearchHit[]>;
}

/** The client's answer for a non-2xx: its status and Qdrant's parsed body. */
interface ApiErrorLike {
  status: number;
  data: unknown;
}
const isApiError = (e: unknown): e is ApiErrorLike =>
  e instanceof Error && typeof (e as Partial<ApiErrorLike>).status === 'number' && 'data' in e;

/** Qdrant's own error text (`{"status":{"error":"…"}}`), or null. */
export function qdrantErrorText(data: unknown): string | null {
  const status = (data as { status?: unknown } | null)?.status;
  const error = (status as { error?: unknown } | null)?.error;
  return typeof error === 'string' && error.trim() !== '' ? error.trim() : null;
}

/** The network cause of a failed fetch (`ECONNREFUSED`…), for the 502's message. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'no answer';
}

/** Where the owner sets the key, for messages; Qdrant's own name for it, so they can match them up. */
const KEY_HINT = 'set qdrant_api_key (QDRANT_API_KEY) to the key Qdrant runs with (QDRANT__SERVICE__API_KEY)';

/**
 * Qdrant's auth said no. It is the control plane's configuration, not the caller's request, that is
 * wrong — so 502, with what to fix. Qdrant's text is not relayed (it says nothing more).
 */
function authFailure(status: 401 | 403, keySent: boolean): AppError {
  const what =
    status === 403
      ? `Qdrant refused access with the configured API key (HTTP 403): use a key that may read the collection, or ${KEY_HINT}`
      : keySent
        ? `Qdrant refused the configured API key (HTTP 401): ${KEY_HINT}`
        : `Qdrant requires an API key (HTTP 401) and none is configured: ${KEY_HINT}`;
  return new AppError('UPSTREAM_ERROR', what, { details: { field: 'qdrant_api_key' } });
}

/** What a client sees when a call to Qdrant failed; `keySent`: an API key is configured. */
export function qdrantFailure(err: unknown, collection: string | null, keySent = false): AppError {
  if (err instanceof QdrantClientTimeoutError) {
    return new AppError('TIMEOUT', 'qdrant did not answer in time', { cause: err });
  }
  if (err instanceof TypeError && err.cause !== undefined) {
    // fetch's own failure: no connection, a reset, a DNS miss.
    return new AppError('UPSTREAM_ERROR', `qdrant unreachable (${networkCause(err)})`, { cause: err });
  }
  if (!isApiError(err)) {
    return new AppError('UPSTREAM_ERROR', 'qdrant answered something that is not a Qdrant response', {
      cause: err,
    });
  }
  if (err.status === 401 || err.status === 403) return authFailure(err.status, keySent);
  const text = qdrantErrorText(err.data);
  if (err.status === 404 && collection !== null) {
    return new AppError('NOT_FOUND', `Qdrant has no collection named "${collection}".`);
  }
  if (err.status === 400 || err.status === 422) {
    return new AppError(
      'BAD_REQUEST',
      `Qdrant refused the search (check filter and vector): ${text ? clip(text) : `HTTP ${err.status}`}`,
    );
  }
  return new AppError('UPSTREAM_ERROR', `qdrant answered HTTP ${err.status}`);
}

/** A point id as JSON can carry it: the client parses ids beyond 2^53 as BigInt. */
export function pointId(id: unknown): string | number {
  if (typeof id === 'bigint') return id.toString();
  if (typeof id === 'number' || typeof id === 'string') return id;
  return String(id);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Qdrant's scored points → our hits (id JSON-safe, payload or null); throws on another shape. */
export function hitsOf(points: unknown): SearchHit[] {
  if (!Array.isArray(points)) throw new TypeError('points/query answered without a points list');
  return points.map((p: unknown) => {
    if (!isObj(p) || typeof p.score !== 'number') throw new TypeError('a point without a score');
    return { id: pointId(p.id), score: p.score, payload: isObj(p.payload) ? p.payload : null };
  });
}

/** Collection names of GET /collections' result; throws on another shape. */
export function collectionsOf(result: unknown): { name: string }[] {
  const list = isObj(result) ? result.collections : undefined;
  if (!Array.isArray(list)) throw new TypeError('GET /collections answered without a collections list');
  return list
    .filter((c): c is { name: string } => isObj(c) && typeof c.name === 'string')
    .map((c) => ({ name: c.name }));
}

/** The client; over http:// with a key it warns once on the console, here at start-up, never per request. */
function createClient(url: string, timeout: number, apiKey: string | null): QdrantClient {
  try {
    // No version probe: it would log a warning at start-up whenever Qdrant is down.
    return new QdrantClient({ url, checkCompatibility: false, timeout, ...(apiKey ? { apiKey } : {}) });
  } catch {
    // fetch's Headers quotes a value it refuses: never let that message (the key) reach a log.
    throw new AppError('INVALID_INPUT', 'qdrant_url or qdrant_api_key cannot be used for Qdrant requests', {
      details: { field: 'qdrant_api_key' },
    });
  }
}

export function createQdrantApi(
  url: string,
  o: { timeoutMs?: number; apiKey?: string | null } = {},
): QdrantApi {
  const apiKey = o.apiKey ?? null;
  const client = createClient(url, o.timeoutMs ?? 30_000, apiKey);
  const keySent = apiKey !== null;
  return {
    async collections() {
      try {
        return collectionsOf(await client.getCollections());
      } catch (err) {
        throw qdrantFailure(err, null, keySent);
      }
    },
    async query(input) {
      try {
        const r = await client.query(input.collection, {
          query: input.vector,
          limit: input.limit,
          with_payload: input.with_payload,
          ...(input.filter ? { filter: input.filter } : {}),
          ...(input.score_threshold !== null ? { score_threshold: input.score_threshold } : {}),
        });
        return hitsOf((r as { points?: unknown } | undefined)?.points);
      } catch (err) {
        throw qdrantFailure(err, input.collection, keySent);
      }
    },
  };
}
