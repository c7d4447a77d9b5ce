// Vector search against a Qdrant that requires an API key (QDRANT__SERVICE__API_KEY): the real
// server, configured with QDRANT_API_KEY, over real HTTP to the simulated Qdrant. The key must
// work, a refused one must say which setting to fix, and the key must appear in no log line, no
// response body and no response header — the settings endpoints included.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SECRET_MASK, type ConfigView } from '../../src/common/config-api.js';
import type { SearchResponse } from '../../src/common/search-api.js';
import { createLogger } from '../../src/server/platform/log.js';
import { DEMO_COLLECTION, DEMO_DOCS } from '../../src/sim/qdrant-demo.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const QDRANT_KEY = 'qd-SimKey-NeverShown-7c41e0';
type Err = { error: { code: string; message: string; details?: unknown } };

let c: TestCluster;
const logLines: string[] = [];
/** Every response this file read: status, headers and body as text. */
const seen: { status: number; headers: string; body: string }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  c = await startTestCluster({
    startSamplers: false,
    env: { QDRANT_API_KEY: QDRANT_KEY },
    qdrantApiKey: QDRANT_KEY,
    logger: createLogger('debug', sink),
  });
});
afterAll(async () => c?.close());

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  seen.push({ status: res.status, headers: JSON.stringify([...res.headers]), body: text });
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
const search = <T = SearchResponse>(body: unknown) => call<T>('POST', '/api/search', body);

describe('vector search with a Qdrant API key', () => {
  it('searches and lists collections with the configured key', async () => {
    const doc = DEMO_DOCS[4]!;
    const r = await search({ collection: DEMO_COLLECTION, query: doc.text, limit: 2 });
    expect(r.status).toBe(200);
    expect(r.body.results[0]!.payload).toMatchObject({ title: doc.title });
    const list = await call<{ collections: { name: string }[] }>('GET', '/api/search/collections');
    expect(list).toEqual({ status: 200, body: { collections: [{ name: DEMO_COLLECTION }] } });
  });

  it('does not print the client’s http:// key warning per request', async () => {
    const warn = vi.spyOn(console, 'warn');
    try {
      for (let i = 0; i < 3; i++)
        expect((await search({ collection: DEMO_COLLECTION, query: 'x' })).status).toBe(200);
      expect(warn.mock.calls.filter((args) => String(args[0]).includes('Api key'))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a key Qdrant refuses → 502 naming qdrant_api_key / QDRANT_API_KEY, for search and collections', async () => {
    c.sim.qdrant.requireKey('qd-rotated-on-the-qdrant-side');
    try {
      const r = await search<Err>({ collection: DEMO_COLLECTION, query: 'x' });
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('UPSTREAM_ERROR');
      expect(r.body.error.message).toMatch(
        /^Qdrant refused the configured API key \(HTTP 401\): set qdrant_api_key \(QDRANT_API_KEY\)/,
      );
      const list = await call<Err>('GET', '/api/search/collections');
      expect(list.status).toBe(502);
      expect(list.body.error.message).toContain('QDRANT_API_KEY');
    } finally {
      c.sim.qdrant.requireKey(QDRANT_KEY);
    }
    expect((await search({ collection: DEMO_COLLECTION, query: 'x' })).status).toBe(200);
  });

  it('the settings page shows the key as set (masked), set by QDRANT_API_KEY', async () => {
    const r = await call<ConfigView>('GET', '/api/config');
    expect(r.status).toBe(200);
    expect(r.body.settings.secrets?.qdrant_api_key).toBe(SECRET_MASK);
    expect(r.body.env['secrets.qdrant_api_key']).toBe('QDRANT_API_KEY');
    for (const path of ['/api/meta', '/api/status', '/api/search/collections']) await call('GET', path);
  });

  it('the key is in no response (bodies, headers) and no log line', () => {
    expect(seen.length).toBeGreaterThanOrEqual(10);
    for (const r of seen) {
      expect(r.body).not.toContain(QDRANT_KEY);
      expect(r.headers).not.toContain(QDRANT_KEY);
    }
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(QDRANT_KEY);
  });
});
