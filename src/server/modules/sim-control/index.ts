// The sim-control module in one call for buildApp: the simulated cluster's fault controls,
// registered only when the built-in simulator runs (nodes, and the demo faults of faults.ts). A
// fault changes what the next sweep sees, so each change asks for one at once.
import type { FastifyInstance } from 'fastify';
import type { NodeConfig } from '../../config/types.js';
import { simLauncherRoutes, type SimLauncherFaults } from './launcher-routes.js';
import { simControlRoutes, type SimFaults as NodeAndServiceFaults } from './routes.js';

/** What the module switches on the simulator (its `faults` API satisfies it). */
export type SimFaults = NodeAndServiceFaults & SimLauncherFaults;

export async function simControlModule(
  app: FastifyInstance,
  d: { sim: SimFaults; nodes: NodeConfig[]; hardware: { sweepSoon(): void } },
): Promise<void> {
  await app.register(simControlRoutes, {
    sim: d.sim,
    nodes: d.nodes,
    onChange: () => d.hardware.sweepSoon(),
  });
  await app.register(simLauncherRoutes, { sim: d.sim });
}
