// A fake Qdrant (the REST subset Spark Control's search proxy uses), standalone on 127.0.0.1:
// `GET /`, `GET /collections`, `GET /collections/{name}`, `POST …/points/query` and the older
// `POST …/points/search`, answered in Qdrant's envelopes (`{result, status: "ok", time}`; errors
// `{status: {error}, time}` with 400 / 404 / 422 as Qdrant picks them). Search is brute-force
// cosine similarity over the demo collection (qdrant-demo.ts), so results are true neighbours.
// With an API key set it guards every route but `GET /` as Qdrant does (src/common/auth/mod.rs):
// the `api-key` header, else `Authorization: Bearer`; missing or wrong → 401 with a plain-text body.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, ToggleListener } from './http-listener.js';
import { EMBEDDING_DIMS } from './embeddings.js';
import { compileFilter, FilterFormatError, type Payload } from './qdrant-filter.js';
import { DEMO_COLLECTION, demoPoints } from './qdrant-demo.js';

/** The Qdrant release the fake one answers as (the JS client checks major/minor compatibility). */
export const QDRANT_VERSION = '1.17.0';
const MAX_BODY = 32 * 1024 * 1024;

export interface SimPoint {
  id: number | string;
  vector: Float32Array;
  payload: Payload;
}

interface Collection {
  dims: number;
  points: SimPoint[];
}

type Reply = { status: number; body: unknown };

class QdrantReply extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
const format = (detail: string) => new QdrantReply(400, `Format error in JSON body: ${detail}`);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class SimQdrant {
  readonly collections = new Map<string, Collection>();
  /** Every request line (`POST /collections/x/points/query`) in order; tests prove what never arrived. */
  readonly requests: string[] = [];

  /** `apiKey`: the key Qdrant was started with (QDRANT__SERVICE__API_KEY); null: open, Qdrant's default. */
  constructor(public apiKey: string | null = null) {
    const points = demoPoints().map((p) => ({ ...p, payload: { ...p.payload } as Payload }));
    this.collections.set(DEMO_COLLECTION, { dims: EMBEDDING_DIMS, points });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.push(`${req.method} ${path}`);
    const isRoot = req.method === 'GET' && path === '/';
    const refused = isRoot ? null : this.refusal(req);
    if (refused !== null) {
      // Qdrant's auth middleware answers before the route: 401, a text body, no envelope.
      req.resume();
      return void res.writeHead(401, { 'content-length': Buffer.byteLength(refused) }).end(refused);
    }
    if (isRoot) {
      // The version banner is the one answer without the envelope.
      return sendJson(res, 200, {
        title: 'qdrant - vector search engine',
        version: QDRANT_VERSION,
        commit: 'sim',
      });
    }
    let reply: Reply;
    try {
      const raw = req.method === 'POST' ? await readBody(req, MAX_BODY) : Buffer.alloc(0);
      if (raw === undefined) throw new QdrantReply(413, 'Payload too large');
      reply = this.route(req.method ?? 'GET', path, raw.toString());
    } catch (err) {
      if (!(err instanceof QdrantReply)) throw err;
      reply = { status: err.status, body: { status: { error: err.message } } };
    }
    if (reply.status === 404 && reply.body === null)
      return void res.writeHead(404, { 'content-length': '0' }).end();
    const time = Number(process.hrtime.bigint() - started) / 1e9;
    const body =
      reply.status === 200 ? { result: reply.body, status: 'ok', time } : { ...(reply.body as object), time };
    sendJson(res, reply.status, body);
  }

  /** Why Qdrant's auth would refuse this request, or null (no key set, or the right one came). */
  private refusal(req: IncomingMessage): string | null {
    const header = req.headers['api-key'];
    const auth = req.headers.authorization;
    const key =
      typeof header === 'string'
        ? header
        : auth?.startsWith('Bearer ')
          ? auth.slice('Bearer '.length)
          : undefined;
    if (this.apiKey === null) return null;
    if (key === undefined) return 'Must provide an API key or an Authorization bearer token';
    const a = Buffer.from(key);
    const b = Buffer.from(this.apiKey);
    return a.length === b.length && timingSafeEqual(a, b) ? null : 'Invalid API key or JWT';
  }

  private route(method: string, path: string, raw: string): Reply {
    if (method === 'GET' && path === '/collections') {
      return { status: 200, body: { collections: [...this.collections.keys()].map((name) => ({ name })) } };
    }
    const m = /^\/collections\/([^/]+)(\/points\/(query|search))?$/.exec(path);
    if (!m) return { status: 404, body: null };
    let name: string;
    try {
      name = decodeURIComponent(m[1] ?? '');
    } catch {
      return { status: 404, body: null };
    }
    const op = m[3];
    if ((op === undefined && method !== 'GET') || (op !== undefined && method !== 'POST')) {
      return { status: 405, body: { status: { error: 'Method Not Allowed' } } };
    }
    const collection = this.collections.get(name);
    if (!collection) throw new QdrantReply(404, `Not found: Collection \`${name}\` doesn't exist!`);
    if (op === undefined) return { status: 200, body: info(collection) };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw format(err instanceof Error ? err.message : 'invalid JSON');
    }
    if (!isObj(body)) throw format('invalid type: expected a JSON object');
    const points = this.search(collection, body, op === 'query' ? 'query' : 'vector', op === 'query');
    return { status: 200, body: op === 'query' ? { points } : points };
  }

  private search(c: Collection, b: Record<string, unknown>, field: string, isQuery: boolean): unknown[] {
    const limitPath = isQuery ? 'internal.limit' : 'limit';
    let query = b[field];
    if (isQuery && isObj(query) && 'nearest' in query) query = query.nearest;
    if (!isQuery && isObj(query) && 'vector' in query) query = query.vector; // a named vector
    if (query === undefined) {
      throw isQuery
        ? format('the simulator needs `query` (a dense vector)')
        : format('missing field `vector`');
    }
    if (!Array.isArray(query) || !query.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw format('Expected some form of vector, id, or a type of query');
    }
    const using = isQuery ? b.using : isObj(b.vector) ? b.vector.name : undefined;
    if (using !== undefined && using !== null && using !== '') {
      throw new QdrantReply(400, `Wrong input: Not existing vector name error: ${String(using)}`);
    }
    if (query.length !== c.dims) {
      throw new QdrantReply(
        400,
        `Wrong input: Vector dimension error: expected dim: ${c.dims}, got ${query.length}`,
      );
    }
    const limit = b.limit ?? 10;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
      throw format(`invalid type: ${JSON.stringify(limit)}, expected usize`);
    }
    if (limit < 1)
      throw new QdrantReply(
        422,
        `Validation error in JSON body: [${limitPath}: value 0 invalid, must be 1 or larger]`,
      );
    const threshold = b.score_threshold;
    if (threshold !== undefined && threshold !== null && typeof threshold !== 'number') {
      throw format(`invalid type: ${JSON.stringify(threshold)}, expected f32`);
    }
    const offset = typeof b.offset === 'number' ? b.offset : 0;
    let keep;
    try {
      keep = compileFilter(b.filter);
    } catch (err) {
      if (err instanceof FilterFormatError) throw format(err.message);
      throw err;
    }
    const withPayload = b.with_payload ?? false;
    const q = normalise(query);
    return c.points
      .filter((p) => keep(p.payload))
      .map((p) => ({ p, score: cosine(q, p.vector) }))
      .filter((s) => typeof threshold !== 'number' || s.score >= threshold)
      .sort((a, b2) => b2.score - a.score)
      .slice(offset, offset + limit)
      .map(({ p, score }) => {
        const payload = selectPayload(p.payload, withPayload);
        return payload === undefined
          ? { id: p.id, version: 0, score }
          : { id: p.id, version: 0, score, payload };
      });
  }
}

function info(c: Collection): unknown {
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: c.points.length,
    segments_count: 1,
    config: {
      params: { vectors: { size: c.dims, distance: 'Cosine' }, shard_number: 1, replication_factor: 1 },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000 },
      optimizer_config: { indexing_threshold: 10000 },
    },
    payload_schema: {},
  };
}

function selectPayload(payload: Payload, selector: unknown): Payload | undefined {
  if (selector === true) return payload;
  if (Array.isArray(selector)) {
    return Object.fromEntries(
      selector.filter((k): k is string => typeof k === 'string' && k in payload).map((k) => [k, payload[k]]),
    );
  }
  if (selector === false) return undefined;
  throw format('data did not match any variant of untagged enum WithPayloadInterface');
}

function normalise(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/** Cosine similarity with stored unit vectors (Qdrant normalises on insert for Cosine). */
function cosine(q: number[], v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) s += (q[i] ?? 0) * (v[i] ?? 0);
  return s;
}

/**
 * Starts the fake Qdrant on an ephemeral 127.0.0.1 port; `set(false)` takes it down (a dead Qdrant).
 * `apiKey` makes it require that key, as QDRANT__SERVICE__API_KEY does (`qdrant.apiKey` changes it later).
 */
export async function startQdrant(apiKey: string | null = null): Promise<{
  url: string;
  port: number;
  qdrant: SimQdrant;
  set(up: boolean): Promise<void>;
  close(): Promise<void>;
}> {
  const qdrant = new SimQdrant(apiKey);
  const listener = new ToggleListener((req, res) => qdrant.handle(req, res));
  await listener.set(true);
  return {
    url: listener.url,
    port: listener.port,
    qdrant,
    set: (up) => listener.set(up),
    close: () => listener.close(),
  };
}
