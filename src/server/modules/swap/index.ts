// The swap module in one call for buildApp: the swap service (which registers its job recovery
// handler with the runner) on the configured vLLM nodes, and /api/swap/*. Also what the swap
// module adds to each catalog model (the catalog is built first and asks through `enrich`).
import type { FastifyInstance } from 'fastify';
import type { VllmState } from '../../../common/api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { JobRunner } from '../../platform/jobs/runner.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { Db } from '../../platform/store/db.js';
import type { Enrichment } from '../catalog/service.js';
import { toResolved, type CatalogModelBase } from '../catalog/resolve.js';
import { urlHost } from '../health/status-service.js';
import { vllmPlacement } from './placement.js';
import { swapRoutes } from './routes.js';
import { SwapService, type SwapServiceDeps } from './service.js';
import { SwapStore } from './store.js';

export { SwapService } from './service.js';
export { relaunchLoadedModel, type RelaunchOutcome } from './relaunch.js';

export interface SwapModuleDeps {
  config: AppConfig;
  db: Db;
  bus: EventBus;
  transport: NodeTransport;
  runner: JobRunner;
  catalog: SwapServiceDeps['catalog'];
  lock: SwapServiceDeps['lock'];
  notify: SwapServiceDeps['notify'];
  hardware: SwapServiceDeps['hardware'];
  /** Checks before anything stops (the launcher's capabilities, the weights' placement). */
  preSwapChecks?: SwapServiceDeps['preSwapChecks'];
  /** The status poller: what vLLM serves now, and a fresh look once a swap ends. */
  status: {
    current(): { vllm: { model: string | null; state: VllmState } };
    refresh(): Promise<unknown>;
  };
}

export async function swapModule(app: FastifyInstance, d: SwapModuleDeps): Promise<SwapService> {
  const { config } = d;
  const { vllm: vllmNodes, cluster: clusterNodes } = vllmPlacement(config);
  const swaps = new SwapService({
    runner: d.runner,
    store: new SwapStore(d.db),
    transport: d.transport,
    bus: d.bus,
    target: {
      nodes: clusterNodes,
      port: config.vllm.port,
      container: config.vllm.container,
      launcherDir: config.vllm.launcher_dir,
    },
    vllmBaseUrl: `http://${urlHost(vllmNodes[0]?.host ?? '127.0.0.1')}:${config.vllm.port}/v1`,
    catalog: d.catalog,
    lock: d.lock,
    notify: d.notify,
    hardware: d.hardware,
    loadedModel: () => d.status.current().vllm.model,
    vllmState: () => d.status.current().vllm.state,
    refreshStatus: () => void d.status.refresh(),
    preSwapChecks: d.preSwapChecks,
  });
  await app.register(swapRoutes, { swaps, runner: d.runner });
  return swaps;
}

/** A catalog model as the dashboard lists it: loaded or not, expected ready time, warnings. */
export function enrichForCatalog(
  swaps: SwapService | null,
  loadedModel: string | null,
  m: CatalogModelBase,
): Enrichment {
  const loaded = loadedModel === m.served_model_name;
  if (!swaps) return { loaded, expected_seconds: m.expected_ready_seconds, warnings: [] };
  const snap = toResolved(m);
  let warnings: Enrichment['warnings'];
  try {
    warnings = swaps.warnings(snap);
  } catch (e) {
    // e.g. a cluster model on a one-node setup: say why it cannot run instead of failing the list.
    warnings = [{ code: 'other', message: e instanceof Error ? e.message : String(e) }];
  }
  return { loaded, expected_seconds: swaps.expected(snap), warnings };
}
