// The launcher module in one call for buildApp: the capability cache of the launcher on the head
// node (no routes: its verdict reaches owners through the swap's 409 and pre-flight, and its
// capabilities through GET /api/updates). The swap module runs `launcherCheck(cache)`.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { vllmPlacement } from '../swap/placement.js';
import { LauncherCapabilityCache } from './capability-cache.js';

export { LauncherCapabilityCache } from './capability-cache.js';
export { launcherCheck } from './check.js';

export interface LauncherModuleDeps {
  config: AppConfig;
  transport: NodeTransport;
  /** Read the capabilities once the server is ready, so GET /api/updates has them early. */
  warm?: boolean;
}

export async function launcherModule(
  app: FastifyInstance,
  d: LauncherModuleDeps,
): Promise<LauncherCapabilityCache> {
  const cache = new LauncherCapabilityCache({
    transport: d.transport,
    head: vllmPlacement(d.config).vllm[0]?.name ?? null,
    launcherDir: d.config.vllm.launcher_dir,
  });
  if (d.warm) {
    app.addHook('onReady', async () => {
      // Not awaited: the server answers while the head is asked. A failure is not cached; the
      // next swap asks again and refuses with the reason.
      cache.get().catch((e: unknown) => app.log.warn({ err: e }, 'could not read the launcher capabilities'));
    });
  }
  return Promise.resolve(cache);
}
