import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../common/search-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { Embedder } from './embeddings.js';
import type { QdrantApi } from './qdrant.js';
import { SearchService } from './service.js';
import type { SearchInput } from './validate.js';

/** Upstream stand-ins that record what reached them (the service's own seam: two interfaces). */
function upstreams(o: { embedFails?: AppError } = {}) {
  const calls: string[] = [];
  const queries: (SearchInput & { vector: number[] })[] = [];
  const embedder: Embedder = {
    embed: async (text) => {
      calls.push(`embed ${text}`);
      if (o.embedFails) throw o.embedFails;
      return [text.length, 1];
    },
  };
  const qdrant: QdrantApi = {
    collections: async () => [{ name: 'c' }],
    query: async (input) => {
      calls.push(`query ${input.collection}`);
      queries.push(input);
      const hit: SearchHit = { id: 1, score: 0.5, payload: null };
      return [hit];
    },
  };
  return { calls, queries, embedder, qdrant };
}

describe('SearchService', () => {
  it('embeds a query, then asks Qdrant with that vector and the validated options', async () => {
    const u = upstreams();
    let t = 100;
    const service = new SearchService({ qdrant: u.qdrant, embedder: u.embedder, now: () => (t += 7) });
    const r = await service.search({ collection: 'c', query: 'four', limit: 3, filter: { must: [] } });
    expect(u.calls).toEqual(['embed four', 'query c']);
    expect(u.queries[0]).toMatchObject({
      vector: [4, 1],
      limit: 3,
      filter: { must: [] },
      with_payload: true,
    });
    expect(r).toEqual({ results: [{ id: 1, score: 0.5, payload: null }], took_ms: 7 });
  });

  it('uses a given vector as is, without the embeddings service', async () => {
    const u = upstreams();
    const service = new SearchService({ qdrant: u.qdrant, embedder: null });
    await service.search({ collection: 'c', vector: [0.5, 0.5] });
    expect(u.calls).toEqual(['query c']);
    expect(u.queries[0]?.vector).toEqual([0.5, 0.5]);
  });

  it('refuses a bad request before any upstream call', async () => {
    const u = upstreams();
    const service = new SearchService({ qdrant: u.qdrant, embedder: u.embedder });
    await expect(service.search({ collection: '..', query: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(service.search({ collection: 'c', query: 'x', limit: 500 })).rejects.toMatchObject({
      status: 400,
    });
    expect(u.calls).toEqual([]);
  });

  it('says which service is not configured (503)', async () => {
    const u = upstreams();
    const noQdrant = new SearchService({ qdrant: null, embedder: u.embedder });
    await expect(noQdrant.search({ collection: 'c', query: 'x' })).rejects.toThrow(/qdrant_url/);
    await expect(noQdrant.collections()).rejects.toMatchObject({ status: 503 });
    const noEmbeddings = new SearchService({ qdrant: u.qdrant, embedder: null });
    await expect(noEmbeddings.search({ collection: 'c', query: 'x' })).rejects.toThrow(/embeddings_url/);
    expect(u.calls).toEqual([]);
  });

  it('does not ask Qdrant when the embedding failed', async () => {
    const u = upstreams({
      embedFails: new AppError('UPSTREAM_ERROR', 'embeddings unreachable (ECONNREFUSED)'),
    });
    const service = new SearchService({ qdrant: u.qdrant, embedder: u.embedder });
    await expect(service.search({ collection: 'c', query: 'x' })).rejects.toThrow('embeddings unreachable');
    expect(u.calls).toEqual(['embed x']);
  });
});
