// The coordination module in one call for buildApp: the GPU lock, the schedule registry, the
// webhook notifier, their routes, and their shutdown.
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../platform/events/bus.js';
import type { Db } from '../../platform/store/db.js';
import { GpuLockService } from './gpu-lock.js';
import { coordinationRoutes } from './routes.js';
import { ScheduleService } from './schedules.js';
import { WebhookNotifier } from './webhooks.js';

export { GpuLockService } from './gpu-lock.js';
export { WebhookNotifier } from './webhooks.js';

export interface Coordination {
  lock: GpuLockService;
  schedules: ScheduleService;
  webhooks: WebhookNotifier;
}

export async function coordinationModule(
  app: FastifyInstance,
  d: { db: Db; bus: EventBus; webhookUrls: string[] },
): Promise<Coordination> {
  const lock = new GpuLockService({ db: d.db, bus: d.bus });
  const schedules = new ScheduleService({ db: d.db, bus: d.bus });
  const webhooks = new WebhookNotifier({ urls: d.webhookUrls, bus: d.bus, logger: app.log });
  await app.register(coordinationRoutes, { lock, schedules });
  app.addHook('onClose', async () => {
    lock.stop();
    webhooks.stop();
  });
  return { lock, schedules, webhooks };
}
