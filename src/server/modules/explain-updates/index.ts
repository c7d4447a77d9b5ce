// The explain-updates module in one call for buildApp: the service (its own connection pool to
// vLLM, closed before the server waits for open connections) and its route.
import type { FastifyInstance } from 'fastify';
import type { UpdatesResponse } from '../../../common/updates-api.js';
import type { VllmStatus } from '../../../common/api.js';
import { explainUpdatesRoutes } from './routes.js';
import { ExplainService } from './service.js';

export { ExplainService } from './service.js';

export interface ExplainUpdatesModuleDeps {
  /** The status service: vLLM's state, base URL and served model, as the gateway reaches it. */
  status: { current(): { vllm: Pick<VllmStatus, 'state' | 'base_url' | 'model'> } };
  /** The updates snapshot; absent on a server that does not check the launcher. */
  updates?: { current(): UpdatesResponse };
  timeoutMs?: number;
}

export async function explainUpdatesModule(
  app: FastifyInstance,
  d: ExplainUpdatesModuleDeps,
): Promise<ExplainService> {
  const explain = new ExplainService({
    updates: d.updates,
    vllm: () => d.status.current().vllm,
    log: app.log,
    timeoutMs: d.timeoutMs,
  });
  // Before the server waits for open connections: a stream in flight ends now.
  app.addHook('preClose', async () => explain.close());
  await app.register(explainUpdatesRoutes, { explain });
  return explain;
}
