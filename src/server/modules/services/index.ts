// The services module in one call for buildApp (SPEC §7): the registry (config, matrix-bridge,
// custom services in SQLite), the background snapshot, actions as jobs, live logs and the
// matrix-bridge update. Returns what other modules need (the NIM installer registers services;
// deep health restarts containers under the same locks and reads the snapshot).
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { HardwareSnapshot } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { badEndOn } from '../../platform/jobs/last-job.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { Db } from '../../platform/store/db.js';
import { ServiceActions } from './actions.js';
import { describeLastJob } from './last-job.js';
import { LogStreams } from './log-stream.js';
import { MatrixBridge } from './matrix-bridge.js';
import { ServiceRegistry, type RegisterService } from './registry.js';
import { servicesRoutes } from './routes.js';
import { type DeepHealthOf, ServicesSnapshot } from './snapshot.js';
import { CustomServiceStore } from './store.js';

export { bridgeSshNodes } from './matrix-bridge.js';
export { containerLock, ServicesSnapshot, type DeepHealthOf } from './snapshot.js';
export {
  matrixBridgeDef,
  ServiceRegistry,
  type CustomServiceInput,
  type RegisterService,
  type ServiceDef,
} from './registry.js';

export interface ServicesModuleDeps {
  config: AppConfig;
  db: Db;
  bus: EventBus;
  transport: NodeTransport;
  runner: JobRunnerApi;
  /** The hardware sampler's last probe per node (a node that hangs shows there first). */
  hardware: () => HardwareSnapshot;
  /** Filled by the deep-health module: last deep check and auto-restart counters per service. */
  deepHealthOf?: DeepHealthOf;
  /** Overrides the 10 s poll (tests). */
  intervalMs?: number;
  startPoller: boolean;
  pingMs?: number;
  /** Overrides matrix-bridge Update's 25-minute cap (tests). */
  bridgeUpdateCapMs?: number;
}

export interface ServicesApi {
  registry: ServiceRegistry;
  snapshot: ServicesSnapshot;
  registerService: RegisterService;
  removeService: (name: string) => void;
}

/** Why a node must not be asked now: the SSH pool's state, or the hardware sampler's last probe. */
export function nodeDownReason(transport: NodeTransport, hardware: () => HardwareSnapshot) {
  return (node: string): string | null => {
    const conn = transport.state(node);
    if (conn.state === 'unreachable' || conn.state === 'auth_failed' || conn.state === 'host_key_changed')
      return `${node}: ${conn.error}`;
    const sample = hardware()[node];
    if (sample && !sample.ok && sample.error_kind !== null && sample.error_kind !== 'probe_failed')
      return `${node}: ${sample.error ?? sample.error_kind}`;
    return null;
  };
}

export async function servicesModule(app: FastifyInstance, d: ServicesModuleDeps): Promise<ServicesApi> {
  const registry = new ServiceRegistry(d.config, new CustomServiceStore(d.db));
  const nodeDown = nodeDownReason(d.transport, d.hardware);
  const snapshot = new ServicesSnapshot({
    registry,
    nodes: d.config.nodes,
    transport: d.transport,
    bus: d.bus,
    nodeDown,
    jobOn: (lock) => d.runner.holder(lock),
    lastJobOn: (lock, docker, container) => {
      const bad = badEndOn(d.runner, lock, Date.now());
      return bad ? describeLastJob(bad, docker, container) : null;
    },
    deepHealthOf: d.deepHealthOf,
    intervalMs: d.intervalMs ?? 10_000,
  });
  const actions = new ServiceActions({ registry, snapshot, runner: d.runner, transport: d.transport });
  // Like actions, a log stream is never attempted while the service's state is unknown: the pool
  // may not yet know a node is down that the last poll already failed to reach.
  const logs = new LogStreams(
    d.transport,
    (def) => {
      const down = nodeDown(def.node);
      if (down) return down;
      const seen = snapshot.one(def.name);
      return seen && seen.docker_state === 'unknown' && seen.checked_at !== null
        ? `its state is unknown (${seen.error ?? 'no answer'})`
        : null;
    },
    d.pingMs,
  );
  const bridge = new MatrixBridge({
    config: d.config,
    registry,
    snapshot,
    runner: d.runner,
    transport: d.transport,
    nodeDown,
    updateCapMs: d.bridgeUpdateCapMs,
  });
  await app.register(servicesRoutes, { registry, snapshot, actions, logs, bridge });
  // `last_job` is judged on every read; this only tells open dashboards at once, not at the next poll.
  const offDismiss = d.runner.onDismiss?.((job) => {
    if (job.locks.some((l) => l.startsWith('container:'))) snapshot.republish();
  });
  if (d.startPoller) app.addHook('onReady', async () => snapshot.start());
  app.addHook('onClose', async () => {
    offDismiss?.();
    snapshot.stop();
  });
  return {
    registry,
    snapshot,
    registerService: registry.addCustom,
    removeService: (name) => void registry.removeCustom(name),
  };
}
