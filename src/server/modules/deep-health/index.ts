// The deep-health module in one call for buildApp: probes of the speech services (kind asr/tts in
// the config, and those registered at run time such as an installed speech NIM) and vLLM, their
// schedule, safe auto-restart as jobs, the loopback and the routes.
// Returns what others use: the gateway's failure hook and the services module's per-card view.
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { Db } from '../../platform/store/db.js';
import type { ConnectivityLog } from '../connectivity/log.js';
import type { StatusService } from '../health/status-service.js';
import type { RelaunchVllm } from './auto-restart.js';
import { deepHealthRoutes } from './routes.js';
import { DeepHealthService } from './service.js';
import { DeepHealthStore } from './store.js';
import { probeTargets, registeredTargets, type RegisteredService } from './targets.js';

export { DeepHealthService } from './service.js';
export { probeTargets } from './targets.js';

export interface DeepHealthModuleDeps {
  config: AppConfig;
  db: Db;
  bus: EventBus;
  transport: NodeTransport;
  runner: JobRunnerApi;
  status: StatusService;
  connectivity: ConnectivityLog;
  /** False when tests drive checks by hand (no schedule, no startup check). */
  startScheduler: boolean;
  /** Tests: a clock they move by hand, and a shorter wait for health after a restart. */
  now?: () => number;
  healthWaitMs?: number;
  /** Relaunches the model vLLM serves through the swap engine (the cure for a wedged vLLM). */
  relaunchVllm?: RelaunchVllm;
  /** The services registry's entries now: its custom asr/tts services are probed too. */
  registered?: () => readonly RegisteredService[];
  /** Called by the registry after a service was added or removed (drops a removed one's state). */
  onRegistryChange?: (fn: () => void) => void;
}

export interface DeepHealthModule {
  service: DeepHealthService;
  /** The gateway's hook: a speech service answered a client request with a 5xx. */
  onSpeechFailure: (service: 'parakeet' | 'magpie') => void;
  deepHealthOf: DeepHealthService['deepHealthOf'];
}

export async function deepHealthModule(
  app: FastifyInstance,
  d: DeepHealthModuleDeps,
): Promise<DeepHealthModule> {
  const configured = probeTargets(d.config, d.status);
  const taken = new Set(configured.map((t) => t.name));
  const deep = new DeepHealthService({
    settings: d.config.deep_health,
    targets: configured,
    registered: () => registeredTargets(d.config.nodes, d.registered?.() ?? [], taken),
    store: new DeepHealthStore(d.db),
    bus: d.bus,
    runner: d.runner,
    transport: d.transport,
    report: (r) => d.connectivity.report(r),
    vllm: () => d.status.checkVllm(),
    log: app.log,
    now: d.now,
    healthWaitMs: d.healthWaitMs,
    relaunchVllm: d.relaunchVllm,
  });
  d.onRegistryChange?.(() => deep.registryChanged());
  await app.register(deepHealthRoutes, { deep });
  if (d.startScheduler) app.addHook('onReady', async () => deep.start());
  app.addHook('onClose', async () => deep.stop());
  return {
    service: deep,
    onSpeechFailure: (service) => {
      const t = deep.targetFor(service);
      // Never rejects for a known target: run() turns every failure into a result.
      if (t) void deep.run(t.name, 'gateway');
    },
    deepHealthOf: (name) => deep.deepHealthOf(name),
  };
}
