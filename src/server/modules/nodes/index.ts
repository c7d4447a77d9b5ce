// The nodes module in one call for buildApp: the hardware sampler (probing every node on an
// interval once the server is ready), its history store, the hardware and SSH-identity routes, and
// Wake-on-LAN (wake/).
import type { FastifyInstance } from 'fastify';
import type { PublicKeyResponse } from '../../../common/api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { authorizeCommand } from '../../platform/remote/keys.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { Db } from '../../platform/store/db.js';
import { HardwareService } from './hardware-service.js';
import { HardwareStore } from './hardware-store.js';
import { nodeRoutes } from './routes.js';
import { wakeRoutes } from './wake/routes.js';
import { WakeService } from './wake/service.js';
import { WAKE_TIMEOUT_MS, WakingStore, WakingTracker } from './wake/waking.js';

export { HardwareService } from './hardware-service.js';

export interface NodesModuleDeps {
  config: AppConfig;
  db: Db;
  bus: EventBus;
  transport: NodeTransport;
  keys: { publicKey: string; fingerprint: string };
  /** Overrides `hardware.interval_s` (tests). */
  intervalMs?: number;
  /** False when tests drive sweeps by hand. */
  startSampler: boolean;
  /** Where a sent wake is recorded as a report (source `wake`). */
  connectivity?: {
    report(r: {
      subject: string;
      ok: boolean;
      source: string;
      error?: string | null;
      note?: string | null;
    }): unknown;
  };
}

export async function nodesModule(app: FastifyInstance, d: NodesModuleDeps): Promise<HardwareService> {
  const { config } = d;
  const store = new HardwareStore(d.db);
  const waking = new WakingTracker(WAKE_TIMEOUT_MS, Date.now, new WakingStore(d.db));
  const hardware = new HardwareService({
    waking,
    nodes: config.nodes,
    transport: d.transport,
    store,
    bus: d.bus,
    intervalMs: d.intervalMs ?? config.hardware.interval_s * 1000,
    historyHours: config.hardware.history_hours,
    logger: app.log,
  });
  const publicKey = (): PublicKeyResponse => ({
    public_key: d.keys.publicKey,
    fingerprint: d.keys.fingerprint,
    commands: config.nodes.map((n) => ({
      node: n.name,
      host: n.host,
      user: n.user,
      command: authorizeCommand(d.keys.publicKey).text,
    })),
  });
  await app.register(nodeRoutes, {
    nodes: config.nodes,
    hardware,
    store,
    transport: d.transport,
    historyHours: config.hardware.history_hours,
    publicKey,
  });
  const wake = new WakeService({
    nodes: config.nodes,
    wake: config.wake,
    loopbackOnly: config.simulated,
    transport: d.transport,
    tracker: waking,
    cachedMac: (node) => hardware.current()[node]?.mac ?? store.knownFacts().get(node)?.mac ?? null,
    reachable: (node) => hardware.current()[node]?.ok === true,
    changed: () => hardware.publishSoon(),
    probe: () => hardware.sweepSoon(),
    logWake: (w) =>
      d.connectivity?.report({ subject: w.node, ok: w.ok, source: 'wake', error: w.error, note: w.note }),
    logger: app.log,
  });
  // Wakes sent before a restart that have not run out: poll those nodes again.
  wake.resume();
  await app.register(wakeRoutes, { wake });
  if (d.startSampler) app.addHook('onReady', async () => hardware.start());
  app.addHook('onClose', async () => {
    wake.stop();
    hardware.stop();
  });
  return hardware;
}
