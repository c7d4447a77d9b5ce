// The catalog module in one call for buildApp: the catalog service (bundled models.yaml plus the
// owner's knobs and custom entries) and /api/models.
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../platform/events/bus.js';
import type { Db } from '../../platform/store/db.js';
import type { CatalogModelBase } from './resolve.js';
import { catalogRoutes } from './routes.js';
import { CatalogService, type Enrichment } from './service.js';

export { CatalogService, type Enrichment } from './service.js';

export interface CatalogModuleDeps {
  db: Db;
  bus: EventBus;
  /** The model vLLM serves now (from the status poller). */
  loadedModel: () => string | null;
  /** What the swap module adds to each model: loaded, learned ready time, pre-flight warnings. */
  enrich: (m: CatalogModelBase) => Enrichment;
}

export async function catalogModule(app: FastifyInstance, d: CatalogModuleDeps): Promise<CatalogService> {
  const catalog = new CatalogService({
    db: d.db,
    bus: d.bus,
    onStoreProblem: (p) => app.log.warn(p, 'catalog row skipped'),
    enrich: d.enrich,
  });
  await app.register(catalogRoutes, { catalog, loaded: () => ({ key: null, model: d.loadedModel() }) });
  return catalog;
}
