// The vector-search module in one call for buildApp (SPEC §12): Qdrant through its official
// client, the embeddings server for queries, the routes behind the API-key rule of the data plane.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { AdminAuth } from '../auth/service.js';
import { searchAccessHook } from './access.js';
import { createEmbedder } from './embeddings.js';
import { createQdrantApi } from './qdrant.js';
import { searchRoutes } from './routes.js';
import { SearchService } from './service.js';

export interface SearchModuleDeps {
  config: Pick<AppConfig, 'qdrant_url' | 'embeddings_url' | 'api_keys' | 'secrets'>;
  /** The admin login, so a dashboard session passes the API-key rule. */
  admin?: AdminAuth | null;
}

export async function searchModule(app: FastifyInstance, d: SearchModuleDeps): Promise<SearchService> {
  const { qdrant_url: qdrantUrl, embeddings_url: embeddingsUrl } = d.config;
  const service = new SearchService({
    // One client for the module's life: its http:// + key console warning is printed once, here.
    qdrant: qdrantUrl ? createQdrantApi(qdrantUrl, { apiKey: d.config.secrets.qdrant_api_key }) : null,
    embedder: embeddingsUrl ? createEmbedder(embeddingsUrl) : null,
  });
  await app.register(async (scope) => {
    scope.addHook('onRequest', searchAccessHook({ apiKeys: d.config.api_keys, admin: d.admin ?? null }));
    await searchRoutes(scope, { service });
  });
  return service;
}
