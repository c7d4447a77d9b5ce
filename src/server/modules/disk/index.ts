// The disk module in one call for buildApp (SPEC §6, issue 12 items 2–3): the background disk
// snapshot, the guarded delete and their routes. A download job that ends (any node) refreshes the
// snapshot, so new weights show up without waiting for the next poll.
import type { FastifyInstance } from 'fastify';
import { vllmPlacement } from '../swap/placement.js';
import type { HardwareSnapshot } from '../../../common/api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { CatalogService } from '../catalog/index.js';
import type { ConnectivityLog } from '../connectivity/index.js';
import { nodeDownReason } from '../services/index.js';
import { diskRoutes } from './routes.js';
import { DiskService } from './service.js';
import { DiskSnapshot, type DiskModel } from './snapshot.js';

export { DiskSnapshot } from './snapshot.js';
export { DiskService } from './service.js';

export interface DiskModuleDeps {
  config: AppConfig;
  bus: EventBus;
  transport: NodeTransport;
  runner: JobRunnerApi;
  catalog: CatalogService;
  connectivity: ConnectivityLog;
  hardware: () => HardwareSnapshot;
  loadedModel: () => string | null;
  /** vLLM's state (loaded, idle, loading, unreachable, unknown): a delete waits while it is unsure. */
  vllmState?: () => string;
  /** Overrides the 60 s poll (tests, benches). */
  intervalMs?: number;
  startPoller: boolean;
}

/** The vLLM nodes as the swap module places models (head first). */
export function vllmNodeNames(config: AppConfig): { head: string | null; cluster: string[] } {
  const cluster = vllmPlacement(config).cluster.map((n) => n.name);
  return { head: cluster[0] ?? null, cluster };
}

export async function diskModule(app: FastifyInstance, d: DiskModuleDeps) {
  const nodes = d.config.nodes.map((n) => n.name);
  const { head, cluster } = vllmNodeNames(d.config);
  const runsOn = (mode: string) => (mode === 'solo' ? (head ? [head] : []) : cluster);
  // The catalog's list() enriches every model (past swap durations from SQLite, fit checks): too
  // much for every dashboard poll, so the disk's view of it is kept until the catalog changes.
  let catalogView: DiskModel[] | null = null;
  const models = (): DiskModel[] =>
    (catalogView ??= d.catalog
      .list()
      .map((m) => ({ key: m.key, repo: m.repo, path: m.path, nodes: runsOn(m.mode) })));
  const nodeDown = nodeDownReason(d.transport, d.hardware);
  const snapshot = new DiskSnapshot({
    nodes,
    transport: d.transport,
    models,
    nodeDown,
    intervalMs: d.intervalMs ?? 60_000,
  });
  const service = new DiskService({
    nodes,
    transport: d.transport,
    runner: d.runner,
    snapshot,
    model: (key) => {
      const m = d.catalog.get(key);
      return {
        key,
        repo: m.repo,
        path: m.path,
        nodes: runsOn(m.mode),
        served_model_name: m.served_model_name,
      };
    },
    loadedModel: d.loadedModel,
    vllmState: d.vllmState,
    vllmNodes: cluster,
    nodeDown,
    report: (r) => void d.connectivity.report(r),
  });
  const unsubscribe = d.bus.subscribe((e) => {
    if (e.type === 'models') catalogView = null;
    // refresh() never rejects; a finished download's new weights show at once.
    if (e.type === 'job' && e.data.kind === 'download' && e.data.state !== 'running') void snapshot.refresh();
  });
  await app.register(diskRoutes, { snapshot, service });
  if (d.startPoller) app.addHook('onReady', async () => snapshot.start());
  app.addHook('onClose', async () => {
    unsubscribe();
    snapshot.stop();
  });
  return { snapshot, service };
}
