import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embed } from './embeddings.js';
import { DEMO_COLLECTION, DEMO_DOCS } from './qdrant-demo.js';
import { QDRANT_VERSION, startQdrant } from './qdrant.js';

let server: Awaited<ReturnType<typeof startQdrant>>;
let client: QdrantClient;
beforeAll(async () => {
  server = await startQdrant();
  client = new QdrantClient({ url: server.url, checkCompatibility: false });
});
afterAll(() => server.close());

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const vec = (text: string) => Array.from(embed(text));
const errorOf = (json: Record<string, unknown>) => (json.status as { error: string }).error;

describe('fake Qdrant', () => {
  it('lists its collections and describes one, as the official client reads them', async () => {
    expect(await client.getCollections()).toEqual({ collections: [{ name: DEMO_COLLECTION }] });
    const info = await client.getCollection(DEMO_COLLECTION);
    expect(info.points_count).toBe(DEMO_DOCS.length);
    expect(info.config.params.vectors).toEqual({ size: 768, distance: 'Cosine' });
    const root = (await (await fetch(`${server.url}/`)).json()) as { version: string };
    expect(root.version).toBe(QDRANT_VERSION);
  });

  it('answers points/query with true nearest neighbours, the doc itself first', async () => {
    const doc = DEMO_DOCS[8]!;
    const r = await client.query(DEMO_COLLECTION, { query: vec(doc.text), limit: 3, with_payload: true });
    expect(r.points).toHaveLength(3);
    expect(r.points[0]!.payload).toMatchObject({ title: doc.title, text: doc.text });
    expect(r.points[0]!.score).toBeCloseTo(1, 4);
    expect(r.points[0]!.score).toBeGreaterThan(r.points[1]!.score);
    expect(r.points[1]!.score).toBeGreaterThanOrEqual(r.points[2]!.score);
  });

  it('keeps the envelope: {result: {points}, status: "ok", time} for query, an array for search', async () => {
    const q = await post(`/collections/${DEMO_COLLECTION}/points/query`, { query: vec('GPU'), limit: 2 });
    expect(q.status).toBe(200);
    expect(Object.keys(q.json).sort()).toEqual(['result', 'status', 'time']);
    expect(q.json.status).toBe('ok');
    const points = (q.json.result as { points: Record<string, unknown>[] }).points;
    expect(points).toHaveLength(2);
    expect(Object.keys(points[0]!).sort()).toEqual(['id', 'score', 'version']); // no payload unless asked
    const s = await post(`/collections/${DEMO_COLLECTION}/points/search`, {
      vector: vec('GPU'),
      limit: 2,
      with_payload: ['title'],
    });
    const hits = s.json.result as { id: number; payload: Record<string, unknown> }[];
    expect(hits.map((h) => h.id)).toEqual(points.map((p) => p.id));
    expect(Object.keys(hits[0]!.payload)).toEqual(['title']);
  });

  it('filters by match.value, match.any, range, should and must_not', async () => {
    const q = vec('memory of the model');
    const topics = async (filter: Record<string, unknown>) =>
      (await client.query(DEMO_COLLECTION, { query: q, limit: 50, with_payload: true, filter })).points.map(
        (p) => p.payload as { topic: string; level: number },
      );
    const audio = await topics({ must: [{ key: 'topic', match: { value: 'audio' } }] });
    expect(audio.length).toBe(DEMO_DOCS.filter((d) => d.topic === 'audio').length);
    const either = await topics({ must: [{ key: 'topic', match: { any: ['audio', 'ops'] } }] });
    expect(new Set(either.map((p) => p.topic))).toEqual(new Set(['audio', 'ops']));
    const hard = await topics({ must: [{ key: 'level', range: { gte: 3 } }] });
    expect(hard.length).toBe(DEMO_DOCS.filter((d) => d.level >= 3).length);
    const notHw = await topics({ must_not: [{ key: 'topic', match: { value: 'hardware' } }] });
    expect(notHw.length).toBe(DEMO_DOCS.length - DEMO_DOCS.filter((d) => d.topic === 'hardware').length);
    const should = await topics({
      should: [
        { key: 'level', range: { lt: 2 } },
        { key: 'topic', match: { value: 'search' } },
      ],
    });
    expect(should.every((p) => p.level < 2 || p.topic === 'search')).toBe(true);
  });

  it('drops results under score_threshold', async () => {
    const doc = DEMO_DOCS[0]!;
    const r = await client.query(DEMO_COLLECTION, { query: vec(doc.text), limit: 40, score_threshold: 0.9 });
    expect(r.points).toHaveLength(1);
  });

  it('answers Qdrant’s errors: 404 collection, 400 filter/dimension/JSON, 422 limit', async () => {
    const missing = await post('/collections/nope/points/query', { query: vec('x') });
    expect(missing.status).toBe(404);
    expect(errorOf(missing.json)).toBe("Not found: Collection `nope` doesn't exist!");
    expect(typeof missing.json.time).toBe('number');
    const badFilter = await post(`/collections/${DEMO_COLLECTION}/points/query`, {
      query: vec('x'),
      filter: { must: [{ key: 'topic', match: { regex: '.*' } }] },
    });
    expect(badFilter.status).toBe(400);
    expect(errorOf(badFilter.json)).toMatch(/^Format error in JSON body: Expected some form of condition/);
    const unknownKey = await post(`/collections/${DEMO_COLLECTION}/points/query`, {
      query: vec('x'),
      filter: { whatever: [] },
    });
    expect(unknownKey.status).toBe(400);
    const dims = await post(`/collections/${DEMO_COLLECTION}/points/query`, { query: [0.1, 0.2, 0.3] });
    expect(dims.status).toBe(400);
    expect(errorOf(dims.json)).toBe('Wrong input: Vector dimension error: expected dim: 768, got 3');
    const limit = await post(`/collections/${DEMO_COLLECTION}/points/query`, { query: vec('x'), limit: 0 });
    expect(limit.status).toBe(422);
    const json = await post(`/collections/${DEMO_COLLECTION}/points/query`, '{"query": [');
    expect(json.status).toBe(400);
    expect(errorOf(json.json)).toMatch(/^Format error in JSON body/);
    const named = await post(`/collections/${DEMO_COLLECTION}/points/query`, {
      query: vec('x'),
      using: 'img',
    });
    expect(errorOf(named.json)).toBe('Wrong input: Not existing vector name error: img');
  });

  it('surfaces errors through the official client as ApiError with Qdrant’s body', async () => {
    const err: unknown = await client.query('nope', { query: vec('x') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, data: { status: { error: expect.stringContaining('nope') } } });
  });

  it('decodes the URL-encoded name and records every request line', async () => {
    const before = server.qdrant.requests.length;
    const r = await fetch(`${server.url}/collections/${encodeURIComponent('a b')}`);
    expect(r.status).toBe(404);
    expect(errorOf((await r.json()) as Record<string, unknown>)).toContain('`a b`');
    expect(server.qdrant.requests.slice(before)).toEqual(['GET /collections/a%20b']);
  });

  it('refuses connections while down and answers again on the same port', async () => {
    await server.set(false);
    await expect(fetch(`${server.url}/collections`)).rejects.toThrow();
    await server.set(true);
    expect((await fetch(`${server.url}/collections`)).status).toBe(200);
  });
});

describe('fake Qdrant with an API key (QDRANT__SERVICE__API_KEY)', () => {
  const KEY = 'sim-qdrant-key-81f2';
  let secured: Awaited<ReturnType<typeof startQdrant>>;
  beforeAll(async () => {
    secured = await startQdrant(KEY);
  });
  afterAll(() => secured.close());

  const get = async (headers: Record<string, string>, path = '/collections') => {
    const res = await fetch(`${secured.url}${path}`, { headers });
    return { status: res.status, text: await res.text() };
  };

  it('answers 401 with Qdrant’s plain-text reasons to a missing or wrong key', async () => {
    expect(await get({})).toEqual({
      status: 401,
      text: 'Must provide an API key or an Authorization bearer token',
    });
    expect(await get({ 'api-key': 'wrong' })).toEqual({ status: 401, text: 'Invalid API key or JWT' });
    expect(await get({ authorization: `Basic ${KEY}` })).toMatchObject({ status: 401 });
    // The api-key header is read first, as Qdrant does: a right bearer does not rescue a wrong header.
    expect(await get({ 'api-key': 'wrong', authorization: `Bearer ${KEY}` })).toMatchObject({ status: 401 });
  });

  it('accepts the key as api-key or as a bearer token; GET / stays open', async () => {
    expect((await get({ 'api-key': KEY })).status).toBe(200);
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await get({}, '/')).status).toBe(200);
  });

  it('the official client with apiKey gets through; without it, an ApiError 401', async () => {
    const keyed = new QdrantClient({ url: secured.url, apiKey: KEY, checkCompatibility: false });
    expect(await keyed.getCollections()).toEqual({ collections: [{ name: DEMO_COLLECTION }] });
    const bare = new QdrantClient({ url: secured.url, checkCompatibility: false });
    const err: unknown = await bare.getCollections().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
  });

  it('changing the key at run time takes effect on the next request; null opens it', async () => {
    secured.qdrant.apiKey = 'rotated-key';
    expect((await get({ 'api-key': KEY })).status).toBe(401);
    secured.qdrant.apiKey = null;
    expect((await get({})).status).toBe(200);
    secured.qdrant.apiKey = KEY;
  });
});
