// The health module in one call for buildApp: the status poller of vLLM and the speech services
// (started once the server is ready) and /api/status, /api/endpoints.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { sh } from '../../platform/remote/sh.js';
import { healthRoutes } from './routes.js';
import { StatusService } from './status-service.js';

export { StatusService, urlHost } from './status-service.js';

export interface HealthModuleDeps {
  config: AppConfig;
  bus: EventBus;
  transport: NodeTransport;
  /** The swap in progress, shown in /api/status (the swap module is built after this one). */
  swapInProgress: () => unknown;
  /** Overrides the 5 s poll (tests). */
  intervalMs?: number;
  /** False when tests drive checks by hand. */
  startPoller: boolean;
}

export async function healthModule(app: FastifyInstance, d: HealthModuleDeps): Promise<StatusService> {
  const { config } = d;
  const status = new StatusService({
    config,
    bus: d.bus,
    intervalMs: d.intervalMs ?? 5000,
    swapInProgress: d.swapInProgress,
    headDown: () => {
      const head = config.vllm.nodes[0];
      return head !== undefined && d.transport.state(head).state === 'unreachable';
    },
    headAnswers: async () => {
      const head = config.vllm.nodes[0];
      if (head === undefined) return null;
      try {
        await d.transport.exec(head, sh`true`, { timeoutMs: 3000 });
        return true;
      } catch {
        // Refused or cooling down after a failure: down. Auth or host-key trouble: it answered.
        const s = d.transport.state(head).state;
        return s === 'unreachable' ? false : s === 'auth_failed' || s === 'host_key_changed' ? true : null;
      }
    },
  });
  await app.register(healthRoutes, { status });
  if (d.startPoller) app.addHook('onReady', async () => status.start());
  app.addHook('onClose', async () => status.stop());
  return status;
}
