// The launcher updates module in one call for buildApp (SPEC §13, issue 12 items 5–6): the git
// snapshot of spark-vllm-docker on the head (checked every `updates.check_interval_minutes`), the
// update and rollback jobs, and /api/updates*. Returns the service: `current()` is the snapshot
// answer the explain-updates module reads.
import type { FastifyInstance } from 'fastify';
import type { LauncherCapabilities } from '../../../common/updates-api.js';
import type { AppConfig } from '../../config/types.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { Db } from '../../platform/store/db.js';
import { vllmPlacement } from '../swap/placement.js';
import { updateRoutes } from './routes.js';
import { UpdateService } from './service.js';
import { UpdateSnapshot } from './snapshot.js';
import { UpdateStore } from './store.js';
import type { SmokeSwaps } from './update-job.js';

export { UpdateService } from './service.js';

export interface UpdatesModuleDeps {
  config: Pick<AppConfig, 'nodes' | 'vllm' | 'updates'>;
  db: Db;
  transport: NodeTransport;
  runner: JobRunnerApi;
  /** The swap engine, for the smoke test and the relaunch after it (null: no smoke test). */
  swaps: SmokeSwaps | null;
  catalog: {
    snapshot(key: string): { key: string; display_name: string };
    keyForServedModel(served: string): string | null;
  };
  loadedModel: () => string | null;
  /** The launcher capability cache (launcher module); absent: `capabilities` is null. */
  capabilities?: { current(): LauncherCapabilities | null; get?(): Promise<unknown> } | null;
  startPoller: boolean;
}

export async function updatesModule(app: FastifyInstance, d: UpdatesModuleDeps): Promise<UpdateService> {
  // The image lives where vLLM models run: the head first, then the other cluster nodes.
  const nodes = vllmPlacement(d.config as AppConfig).cluster;
  const snapshot = new UpdateSnapshot({
    transport: d.transport,
    head: () => nodes[0]?.name ?? null,
    launcherDir: d.config.vllm.launcher_dir,
    intervalMs: d.config.updates.check_interval_minutes * 60_000,
    onError: (err) => app.log.warn({ err }, 'launcher update check failed'),
  });
  const updates = new UpdateService({
    runner: d.runner,
    store: new UpdateStore(d.db),
    snapshot,
    transport: d.transport,
    launcherDir: d.config.vllm.launcher_dir,
    nodes,
    swaps: d.swaps,
    catalog: d.catalog,
    loadedKey: () => {
      const served = d.loadedModel();
      return served ? d.catalog.keyForServedModel(served) : null;
    },
    capabilities: d.capabilities,
  });
  updates.closeInterrupted();
  await app.register(updateRoutes, { updates });
  if (d.startPoller) app.addHook('onReady', async () => snapshot.start());
  app.addHook('onClose', async () => snapshot.stop());
  return updates;
}
