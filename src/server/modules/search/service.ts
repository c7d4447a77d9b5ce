// Vector search (SPEC §12): validate, embed the query when no vector is given, ask Qdrant's
// points/query, answer hits and the time it took. The upstreams come in as interfaces, so the
// module wires real ones and nothing here knows about HTTP.
import type { CollectionsResponse, SearchResponse } from '../../../common/search-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { Embedder } from './embeddings.js';
import type { QdrantApi } from './qdrant.js';
import { parseSearchRequest } from './validate.js';

export interface SearchServiceDeps {
  /** null: qdrant_url is not configured. */
  qdrant: QdrantApi | null;
  /** null: embeddings_url is not configured (a `vector` still works). */
  embedder: Embedder | null;
  now?: () => number;
}

export class SearchService {
  constructor(private readonly d: SearchServiceDeps) {}

  private qdrant(): QdrantApi {
    if (!this.d.qdrant)
      throw new AppError('SERVICE_UNAVAILABLE', 'vector search is not configured (qdrant_url)');
    return this.d.qdrant;
  }

  async collections(): Promise<CollectionsResponse> {
    return { collections: await this.qdrant().collections() };
  }

  /** Validates `body` in full before the first upstream call. */
  async search(body: unknown): Promise<SearchResponse> {
    const now = this.d.now ?? (() => performance.now());
    const started = now();
    const input = parseSearchRequest(body);
    const qdrant = this.qdrant();
    let vector = input.vector;
    if (vector === null) {
      if (!this.d.embedder) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'embeddings are not configured (embeddings_url); send a vector instead of a query',
        );
      }
      vector = await this.d.embedder.embed(input.query ?? '');
    }
    const results = await qdrant.query({ ...input, vector });
    return { results, took_ms: Math.round((now() - started) * 10) / 10 };
  }
}
