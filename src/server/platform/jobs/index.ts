// The job runner in one call for buildApp: the runner, /api/jobs, and its shutdown. Modules get
// the runner and register their recovery handlers; buildApp calls recoverInterrupted() once they
// all have.
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../events/bus.js';
import type { Db } from '../store/db.js';
import { jobRoutes } from './routes.js';
import { JobRunner } from './runner.js';

export { JobRunner } from './runner.js';

export async function jobsPlatform(
  app: FastifyInstance,
  d: { db: Db; bus: EventBus; pingMs?: number },
): Promise<JobRunner> {
  const runner = new JobRunner({ db: d.db, bus: d.bus, logger: app.log });
  await app.register(jobRoutes, { runner, pingMs: d.pingMs });
  // Running jobs stay `running` in the database so the next start can re-attach to them.
  app.addHook('onClose', async () => runner.shutdown());
  return runner;
}
