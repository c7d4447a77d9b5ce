// Vector search over the simulator (SPEC §12): the real server embeds through the fake embeddings
// server and asks the fake Qdrant's demo collection, whose vectors came from the same embedding
// function — so the expected neighbours are computed here independently and compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionsResponse, SearchResponse } from '../../src/common/search-api.js';
import { embed } from '../../src/sim/embeddings.js';
import { DEMO_COLLECTION, DEMO_DOCS } from '../../src/sim/qdrant-demo.js';
import { getJson, startTestCluster, type TestCluster } from '../helpers/harness.js';

type Err = { error: { code: string; message: string } };

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ startSamplers: false });
});
afterAll(async () => c?.close());

const search = <T = SearchResponse>(body: unknown, headers: Record<string, string> = {}) =>
  getJson<T>(`${c.url}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Titles of the demo docs nearest to `text`, by the embedding the collection was built with. */
const nearest = (text: string, n: number): string[] => {
  const q = embed(text);
  return DEMO_DOCS.map((d) => {
    const v = embed(d.text);
    return { title: d.title, score: q.reduce((s, x, i) => s + x * (v[i] ?? 0), 0) };
  })
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .map((d) => d.title);
};

describe('POST /api/search over the simulator', () => {
  it('lists the demo collection', async () => {
    const r = await getJson<CollectionsResponse>(`${c.url}/api/search/collections`);
    expect(r).toEqual({ status: 200, body: { collections: [{ name: DEMO_COLLECTION }] } });
  });

  it('finds the doc whose text is the query first, then the true nearest neighbours', async () => {
    const doc = DEMO_DOCS[9]!;
    const r = await search({ collection: DEMO_COLLECTION, query: doc.text, limit: 3 });
    expect(r.status).toBe(200);
    expect(r.body.results[0]!.payload).toMatchObject({
      title: doc.title,
      text: doc.text,
      source: doc.source,
    });
    expect(r.body.results[0]!.score).toBeCloseTo(1, 3);
    expect(typeof r.body.took_ms).toBe('number');
    const phrase = 'how much GPU memory does the model need';
    const hits = await search({ collection: DEMO_COLLECTION, query: phrase, limit: 5 });
    expect(hits.body.results.map((h) => h.payload?.title)).toEqual(nearest(phrase, 5));
  });

  it('searches by vector, without payload when asked', async () => {
    const doc = DEMO_DOCS[20]!;
    const r = await search({
      collection: DEMO_COLLECTION,
      vector: Array.from(embed(doc.text)),
      limit: 2,
      with_payload: false,
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(2);
    expect(r.body.results[0]).toEqual({ id: 21, score: expect.closeTo(1, 3), payload: null });
  });

  it('passes a Qdrant filter through and applies score_threshold', async () => {
    const r = await search({
      collection: DEMO_COLLECTION,
      query: 'speech and voices',
      limit: 50,
      filter: { must: [{ key: 'topic', match: { value: 'audio' } }] },
    });
    expect(r.body.results.length).toBe(DEMO_DOCS.filter((d) => d.topic === 'audio').length);
    expect(r.body.results.every((h) => h.payload?.topic === 'audio')).toBe(true);
    const strict = await search({
      collection: DEMO_COLLECTION,
      query: DEMO_DOCS[3]!.text,
      limit: 50,
      score_threshold: 0.9,
    });
    expect(strict.body.results.map((h) => h.payload?.title)).toEqual([DEMO_DOCS[3]!.title]);
  });

  it('answers 400 with Qdrant’s short error for a filter Qdrant refuses', async () => {
    const r = await search<Err>({
      collection: DEMO_COLLECTION,
      query: 'x',
      filter: { must: [{ key: 'topic', match: { regex: '.*' } }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(
      /^Qdrant refused the search .*Format error in JSON body: Expected some form of condition/,
    );
    const dims = await search<Err>({ collection: DEMO_COLLECTION, vector: [0.1, 0.2] });
    expect(dims.status).toBe(400);
    expect(dims.body.error.message).toContain('expected dim: 768, got 2');
  });

  it('answers 404 for a collection Qdrant does not have', async () => {
    const r = await search<Err>({ collection: 'no-such-docs', query: 'x' });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({
      code: 'NOT_FOUND',
      message: 'Qdrant has no collection named "no-such-docs".',
    });
  });

  it('refuses hostile collection names with 400 before any request leaves', async () => {
    const before = c.sim.qdrant.requests().length;
    for (const collection of [
      '..',
      '../collections',
      'demo-docs/../x',
      'a%2Fb',
      '%2e%2e',
      'a b',
      'x?y',
      'a\u0000',
      'demo..docs',
    ]) {
      const r = await search<Err>({ collection, query: 'x' });
      expect(r.status, collection).toBe(400);
      expect(r.body.error.message).toMatch(/collection/);
    }
    expect(c.sim.qdrant.requests().slice(before)).toEqual([]);
  });

  it('bounds limit and checks the body, all as 400 JSON', async () => {
    for (const body of [
      { collection: DEMO_COLLECTION, query: 'x', limit: 0 },
      { collection: DEMO_COLLECTION, query: 'x', limit: 101 },
      { collection: DEMO_COLLECTION, query: 'x', vector: [1] },
      { collection: DEMO_COLLECTION },
      { collection: DEMO_COLLECTION, query: 'x', filter: ['must'] },
      { collection: DEMO_COLLECTION, query: 'x', score_threshold: 'high' },
      { collection: DEMO_COLLECTION, vector: [1, 'x'] },
    ]) {
      const r = await search<Err>(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(typeof r.body.error.message).toBe('string');
    }
    const all = await search({ collection: DEMO_COLLECTION, query: 'x', limit: 100 });
    expect(all.body.results).toHaveLength(DEMO_DOCS.length);
    const dflt = await search({ collection: DEMO_COLLECTION, query: 'x' });
    expect(dflt.body.results).toHaveLength(10);
  });

  it('keeps working cross-origin (an exempt data-plane route)', async () => {
    const r = await search(
      { collection: DEMO_COLLECTION, query: 'vLLM' },
      { origin: 'http://other-app.example' },
    );
    expect(r.status).toBe(200);
  });

  it('answers 502 "qdrant unreachable" while Qdrant is down, and works again after', async () => {
    await c.sim.qdrant.set(false);
    try {
      const r = await search<Err>({ collection: DEMO_COLLECTION, query: 'x' });
      expect(r.status).toBe(502);
      expect(r.body.error.message).toContain('qdrant unreachable');
      const list = await getJson<Err>(`${c.url}/api/search/collections`);
      expect(list.status).toBe(502);
      expect(list.body.error.message).toContain('qdrant unreachable');
    } finally {
      await c.sim.qdrant.set(true);
    }
    expect((await search({ collection: DEMO_COLLECTION, query: 'x' })).status).toBe(200);
  });

  it('answers 502 saying QDRANT_API_KEY is needed when Qdrant wants a key and none is configured', async () => {
    c.sim.qdrant.requireKey('qd-key-this-server-does-not-have');
    try {
      const r = await search<Err>({ collection: DEMO_COLLECTION, query: 'x' });
      expect(r.status).toBe(502);
      expect(r.body.error).toEqual({
        code: 'UPSTREAM_ERROR',
        message: expect.stringMatching(
          /^Qdrant requires an API key \(HTTP 401\) and none is configured: set qdrant_api_key \(QDRANT_API_KEY\)/,
        ),
        details: { field: 'qdrant_api_key' },
      });
    } finally {
      c.sim.qdrant.requireKey(null);
    }
    expect((await search({ collection: DEMO_COLLECTION, query: 'x' })).status).toBe(200);
  });

  it('answers 502 "embeddings unreachable" for a query while embeddings are down; a vector still works', async () => {
    await c.sim.embeddings.set(false);
    try {
      const r = await search<Err>({ collection: DEMO_COLLECTION, query: 'x' });
      expect(r.status).toBe(502);
      expect(r.body.error.message).toContain('embeddings unreachable');
      const v = await search({ collection: DEMO_COLLECTION, vector: Array.from(embed('x')) });
      expect(v.status).toBe(200);
    } finally {
      await c.sim.embeddings.set(true);
    }
    expect((await search({ collection: DEMO_COLLECTION, query: 'x' })).status).toBe(200);
  });

  it('answers racing searches independently', async () => {
    const docs = DEMO_DOCS.slice(0, 12);
    const answers = await Promise.all(
      docs.map((d) => search({ collection: DEMO_COLLECTION, query: d.text, limit: 1 })),
    );
    expect(answers.map((a) => a.body.results[0]?.payload?.title)).toEqual(docs.map((d) => d.title));
  });
});

describe('/api/search with gateway API keys configured', () => {
  let k: TestCluster;
  beforeAll(async () => {
    k = await startTestCluster({ startSamplers: false, env: { GATEWAY_API_KEYS: 'crm:sk-search-test-key' } });
  });
  afterAll(async () => k?.close());

  it('asks for a key, as /v1 does, and never reaches Qdrant without one', async () => {
    const before = k.sim.qdrant.requests().length;
    const post = (headers: Record<string, string>) =>
      getJson<Err>(`${k.url}/api/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ collection: DEMO_COLLECTION, query: 'x' }),
      });
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await getJson(`${k.url}/api/search/collections`)).status).toBe(401);
    expect(k.sim.qdrant.requests().slice(before)).toEqual([]);
    expect((await post({ authorization: 'Bearer sk-search-test-key' })).status).toBe(200);
  });
});
