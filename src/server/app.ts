// buildApp(deps): the whole HTTP application from already-opened dependencies. main.ts wires
// real ones; tests pass a simulated cluster and a temp database (Fastify's testing guide).
// A composition root only: each module builds its services, registers its routes and its
// shutdown in its own `xModule(app, deps)`; this file says in which order and who gets what.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { AppConfig } from './config/types.js';
import { EventBus } from './platform/events/bus.js';
import { eventRoutes } from './platform/events/routes.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { closeStreamsOnShutdown } from './platform/http/sse.js';
import { installBodyGuard } from './platform/http/body-guard.js';
import { resolveLimits, type InputLimits } from './platform/http/limits.js';
import { installRequestGuard } from './platform/http/request-guard.js';
import { createServer, registerOpenApi } from './platform/http/server.js';
import { jobsPlatform } from './platform/jobs/index.js';
import { metaRoutes } from './platform/meta.js';
import type { NodeTransport } from './platform/remote/transport.js';
import type { Db } from './platform/store/db.js';
import { audioModule } from './modules/audio/index.js';
import { GpuSlots } from './modules/audio/gpu-slots.js';
import { authModule } from './modules/auth/index.js';
import { catalogModule } from './modules/catalog/index.js';
import { connectivityModule } from './modules/connectivity/index.js';
import { coordinationModule } from './modules/coordination/index.js';
import { deepHealthModule, type DeepHealthModule } from './modules/deep-health/index.js';
import { downloadsModule } from './modules/downloads/index.js';
import { explainUpdatesModule } from './modules/explain-updates/index.js';
import { diskModule } from './modules/disk/index.js';
import { gatewayModule } from './modules/gateway/index.js';
import { healthModule } from './modules/health/index.js';
import { launcherCheck, launcherModule } from './modules/launcher/index.js';
import { metricsModule } from './modules/metrics/index.js';
import { nimModule, type RegisterService } from './modules/nim/index.js';
import { redactionModule } from './modules/redaction/index.js';
import { nodesModule } from './modules/nodes/index.js';
import { searchModule } from './modules/search/index.js';
import { servicesModule } from './modules/services/index.js';
import { settingsModule } from './modules/settings/index.js';
import { simControlModule, type SimFaults } from './modules/sim-control/index.js';
import { speechModelsModule, type SpeechModelsDeps } from './modules/speech-models/index.js';
import { enrichForCatalog, relaunchLoadedModel, swapModule, type SwapService } from './modules/swap/index.js';
import { updatesModule } from './modules/updates/index.js';

export interface AppDeps {
  config: AppConfig;
  db: Db;
  transport: NodeTransport;
  keys: { publicKey: string; fingerprint: string };
  /** A pino logger; tests leave it out (silent). */
  logger?: FastifyBaseLogger;
  /** Built dashboard (dist/web); served at `/` when present. */
  webRoot?: string | null;
  /** Speech-model patches: the overlay to ship and health-poll timings (tests shorten them). */
  speechModels?: Pick<
    SpeechModelsDeps,
    'overlayDir' | 'healthTimeoutMs' | 'healthPollMs' | 'refreshIntervalMs'
  >;
  /** Present when the built-in simulated cluster runs: exposes its fault controls. */
  sim?: SimFaults | null;
  /** Where the NIM installer registers what it installed (the services module's registry). */
  registerService?: RegisterService;
  /** Tests may drive sampling by hand. */
  startSamplers?: boolean;
  /** The environment the config was loaded from (the settings page shows env-set keys read-only). */
  env?: Record<string, string | undefined>;
  /** Restarts the whole server in place (main.ts); POST /api/restart calls it. */
  restart?: () => void;
  /** Overrides for intervals in tests. */
  timings?: {
    hardwareIntervalMs?: number;
    statusIntervalMs?: number;
    /** The services snapshot poll (default 10 s). */
    servicesIntervalMs?: number;
    /** How long matrix-bridge's Update may run before it is killed (default 25 min). */
    matrixBridgeUpdateCapMs?: number;
    ssePingMs?: number;
    /** Request timeouts and upload limits (platform/http/limits.ts), shortened by tests. */
    limits?: Partial<InputLimits>;
    /** The swap's fresh look at a model's weights on a node (default 20 s; tests shorten it). */
    diskProbeTimeoutMs?: number;
    /** Deep health: a clock tests move by hand, and a shorter wait for health after a restart. */
    deepHealth?: { now?: () => number; healthWaitMs?: number };
    /** The redaction vault: a clock for retention, a shorter purge interval. */
    redaction?: { now?: () => number; purgeIntervalMs?: number };
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, transport } = deps;
  const limits = resolveLimits(deps.timings?.limits);
  const app = createServer({ logger: deps.logger, limits });
  installErrorHandling(app);
  installBodyGuard(app, limits);
  // Before any route: Host allow-list, same-origin guard, then admin auth (SPEC §14).
  installRequestGuard(app, config);
  const admin = await authModule(app, { db, config });
  await registerOpenApi(app);

  const bus = new EventBus();
  const pingMs = deps.timings?.ssePingMs;
  const startSamplers = deps.startSamplers !== false;
  const connectivity = await connectivityModule(app, { db, bus, nodes: config.nodes });
  await app.register(metaRoutes, { config });
  await app.register(eventRoutes, { bus, pingMs });
  closeStreamsOnShutdown(app, () => ({
    type: 'server_shutdown',
    ts: new Date().toISOString(),
    data: { reason: 'Spark Control is restarting' },
  }));

  const hardware = await nodesModule(app, {
    config,
    db,
    bus,
    transport,
    keys: deps.keys,
    intervalMs: deps.timings?.hardwareIntervalMs,
    startSampler: startSamplers,
    connectivity,
  });
  // Swaps and the status poller refer to each other (status shows the running swap, a swap
  // refreshes status when it ends; the catalog asks the swap module about each model); `swaps`
  // is assigned by swapModule below, and nothing calls these before the server is ready.
  let swaps: SwapService | null = null;
  const status = await healthModule(app, {
    config,
    bus,
    transport,
    swapInProgress: () => swaps?.running() ?? null,
    intervalMs: deps.timings?.statusIntervalMs,
    startPoller: startSamplers,
  });
  const loadedModel = () => status.current().vllm.model;
  const jobs = await jobsPlatform(app, { db, bus, pingMs });
  // Service cards show each service's last deep check; deep health is built after the gateway's
  // dependencies, so the cards read it through this closure (nothing polls before ready).
  let deep: DeepHealthModule | null = null;
  const services = await servicesModule(app, {
    config,
    db,
    bus,
    transport,
    runner: jobs,
    hardware: () => hardware.current(),
    intervalMs: deps.timings?.servicesIntervalMs,
    bridgeUpdateCapMs: deps.timings?.matrixBridgeUpdateCapMs,
    startPoller: startSamplers,
    pingMs,
    deepHealthOf: (name) => deep?.deepHealthOf(name) ?? null,
  });
  const catalog = await catalogModule(app, {
    db,
    bus,
    loadedModel,
    enrich: (m) => enrichForCatalog(swaps, loadedModel(), m),
  });
  const { lock, webhooks } = await coordinationModule(app, { db, bus, webhookUrls: config.webhooks });
  // Before the swap: a swap first checks the weights are on every node it runs on.
  const disk = await diskModule(app, {
    config,
    bus,
    transport,
    runner: jobs,
    catalog,
    connectivity,
    hardware: () => hardware.current(),
    loadedModel,
    vllmState: () => status.current().vllm.state,
    startPoller: startSamplers,
    probeTimeoutMs: deps.timings?.diskProbeTimeoutMs,
  });
  const launcher = await launcherModule(app, { config, transport, warm: startSamplers });
  swaps = await swapModule(app, {
    config,
    db,
    bus,
    transport,
    runner: jobs,
    catalog,
    lock,
    notify: (event, info) => webhooks.notify(event, info),
    hardware: () => hardware.current(),
    status,
    // The launcher first: when it cannot run the swap at all, the weights do not matter yet.
    preSwapChecks: [launcherCheck(launcher), disk.placement],
  });
  await nimModule(app, {
    config,
    runner: jobs,
    transport,
    // An installed NIM becomes a card; its port counts as taken for the next install.
    registerService: deps.registerService ?? ((def) => void services.registerService(def)),
    registeredPorts: (node) =>
      services.registry
        .list()
        .filter((s) => s.node === node && s.port !== null)
        .map((s) => ({ port: s.port as number, owner: `service ${s.name}` })),
    isService: (node, container) =>
      services.registry.list().some((s) => s.node === node && s.container === container),
  });
  await speechModelsModule(app, {
    config,
    transport,
    runner: jobs,
    dockerOf: (name) => services.snapshot.one(name)?.docker_state ?? null,
    startRefresh: startSamplers,
    ...deps.speechModels,
  });
  await downloadsModule(app, { config, runner: jobs, transport, connectivity });
  const updates = await updatesModule(app, {
    config,
    db,
    transport,
    runner: jobs,
    swaps,
    catalog,
    loadedModel,
    capabilities: launcher,
    startPoller: startSamplers,
  });
  // After every module registered its recovery handler (the swap re-attaches to a running swap).
  jobs.recoverInterrupted();
  // Before the gateway: a speech request that fails there runs the deep check at once (SPEC §9).
  deep = await deepHealthModule(app, {
    config,
    db,
    bus,
    transport,
    runner: jobs,
    status,
    connectivity,
    startScheduler: startSamplers,
    // Speech NIMs installed at run time are deep-checked too, from when they are registered.
    registered: () => services.registry.list(),
    onRegistryChange: (fn) => services.registry.onChange(fn),
    // A wedged vLLM is healed by relaunching its model through the swap engine (swap/relaunch.ts).
    relaunchVllm: async () =>
      swaps
        ? relaunchLoadedModel({
            swaps,
            loadedModel,
            keyFor: (model) => catalog.keyForServedModel(model),
            origin: 'Requested by deep health: vLLM failed its deep check; relaunching the loaded model',
          })
        : { started: false, reason: 'the swap engine is not ready' },
    ...deps.timings?.deepHealth,
  });
  const onSpeechFailure = deep.onSpeechFailure;
  // One GPU cap for every GPU-bound audio route: /v1/audio/transcriptions and /api/audio.
  const audioGpu = new GpuSlots({ capacity: config.audio.gpu_concurrency });
  const redaction = await redactionModule(app, {
    config,
    db,
    admin,
    timings: deps.timings?.redaction,
  });
  const gateway = await gatewayModule(app, {
    config,
    limits,
    bus,
    status,
    catalog,
    swaps,
    connectivity,
    onSpeechFailure,
    audioGpu,
    redactChat: redaction.redactChat,
  });
  await explainUpdatesModule(app, { status, updates });
  await audioModule(app, {
    config,
    db,
    runner: jobs,
    status,
    connectivity,
    onSpeechFailure,
    admin,
    gpu: audioGpu,
  });
  await searchModule(app, { config, admin });
  await settingsModule(app, { config, env: deps.env, restart: deps.restart });
  if (deps.sim) await simControlModule(app, { sim: deps.sim, nodes: config.nodes, hardware });
  // Last: it reads every module's snapshot at scrape time and listens to the bus and the gateway.
  await metricsModule(app, {
    config,
    bus,
    admin,
    gateway,
    hardware,
    status,
    catalog,
    swaps,
    runner: jobs,
    services: services.snapshot,
    deepHealth: deep.service,
  });

  if (deps.webRoot && existsSync(deps.webRoot)) {
    await app.register(fastifyStatic, { root: deps.webRoot, prefix: '/', wildcard: false });
  }
  return app;
}
