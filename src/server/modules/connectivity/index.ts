// The connectivity module in one call for buildApp: the log (listening on the bus from now on),
// its routes, and its shutdown.
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../platform/events/bus.js';
import type { Db } from '../../platform/store/db.js';
import { ConnectivityLog } from './log.js';
import { connectivityRoutes } from './routes.js';

export { ConnectivityLog } from './log.js';

export async function connectivityModule(
  app: FastifyInstance,
  o: { db: Db; bus: EventBus; nodes: { name: string }[] },
): Promise<ConnectivityLog> {
  const connectivity = new ConnectivityLog({ db: o.db, bus: o.bus, subjects: o.nodes.map((n) => n.name) });
  await app.register(connectivityRoutes, { connectivity });
  app.addHook('onClose', async () => connectivity.stop());
  return connectivity;
}
