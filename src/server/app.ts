// buildApp(deps): the whole HTTP application from already-opened dependencies. main.ts wires
// real ones; tests pass a simulated cluster and a temp database (Fastify's testing guide).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { existsSync } from 'node:fs';
import type { MetaResponse, PublicKeyResponse } from '../common/api.js';
import type { AppConfig } from './config/types.js';
import { EventBus } from './platform/events/bus.js';
import { eventRoutes } from './platform/events/routes.js';
import { answerFrameworkError, installErrorHandling } from './platform/http/error-handler.js';
import { closeStreamsOnShutdown } from './platform/http/sse.js';
import { installBodyGuard } from './platform/http/body-guard.js';
import { answerClientError } from './platform/http/client-error.js';
import { resolveLimits, serverTimeouts, type InputLimits } from './platform/http/limits.js';
import { strictBodyValidation } from './platform/http/validation.js';
import { installRequestGuard } from './platform/http/request-guard.js';
import { authModule } from './modules/auth/index.js';
import type { NodeTransport } from './platform/remote/transport.js';
import { authorizeCommand } from './platform/remote/keys.js';
import type { Db } from './platform/store/db.js';
import { HardwareService } from './modules/nodes/hardware-service.js';
import { HardwareStore } from './modules/nodes/hardware-store.js';
import { nodeRoutes } from './modules/nodes/routes.js';
import { StatusService } from './modules/health/status-service.js';
import { healthRoutes } from './modules/health/routes.js';
import { simControlRoutes, type SimFaults } from './modules/sim-control/routes.js';
import { JobRunner } from './platform/jobs/runner.js';
import { jobRoutes } from './platform/jobs/routes.js';
import { CatalogService } from './modules/catalog/service.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { toResolved } from './modules/catalog/resolve.js';
import { GpuLockService } from './modules/coordination/gpu-lock.js';
import { ScheduleService } from './modules/coordination/schedules.js';
import { WebhookNotifier } from './modules/coordination/webhooks.js';
import { coordinationRoutes } from './modules/coordination/routes.js';
import { connectivityModule } from './modules/connectivity/index.js';
import { SwapService } from './modules/swap/service.js';
import { SwapStore } from './modules/swap/store.js';
import { swapRoutes } from './modules/swap/routes.js';
import { gatewayRoutes } from './modules/gateway/routes.js';
import { uploadPolicy } from './modules/gateway/upload.js';
import { SwapOnRequest } from './modules/gateway/swap-on-request.js';
import { urlHost } from './modules/health/status-service.js';
import { VERSION } from './version.js';

export interface AppDeps {
  config: AppConfig;
  db: Db;
  transport: NodeTransport;
  keys: { publicKey: string; fingerprint: string };
  /** A pino logger; tests leave it out (silent). */
  logger?: FastifyBaseLogger;
  /** Built dashboard (dist/web); served at `/` when present. */
  webRoot?: string | null;
  /** Present when the built-in simulated cluster runs: exposes its fault controls. */
  sim?: SimFaults | null;
  /** Tests may drive sampling by hand. */
  startSamplers?: boolean;
  /** Overrides for intervals in tests. */
  timings?: {
    hardwareIntervalMs?: number;
    statusIntervalMs?: number;
    ssePingMs?: number;
    /** Request timeouts and upload limits (platform/http/limits.ts), shortened by tests. */
    limits?: Partial<InputLimits>;
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const limits = resolveLimits(deps.timings?.limits);
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    // Header, keep-alive and whole-request timeouts; why each value: platform/http/limits.ts.
    ...serverTimeouts(limits),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // Coercion applies to querystring, params and headers only; bodies are validated as sent.
    schemaController: strictBodyValidation(),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });
  installErrorHandling(app);
  installBodyGuard(app, limits);
  // Before any route: Host allow-list, same-origin guard, then admin auth (SPEC §14).
  installRequestGuard(app, config);
  await authModule(app, { db: deps.db, config });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Spark Control API',
        version: VERSION,
        description: 'Control plane for NVIDIA DGX Spark clusters',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const bus = new EventBus();
  const connectivity = await connectivityModule(app, { db: deps.db, bus, nodes: config.nodes });
  const hardwareStore = new HardwareStore(deps.db);
  const hardware = new HardwareService({
    nodes: config.nodes,
    transport: deps.transport,
    store: hardwareStore,
    bus,
    intervalMs: deps.timings?.hardwareIntervalMs ?? config.hardware.interval_s * 1000,
    historyHours: config.hardware.history_hours,
    logger: app.log,
  });
  // Swaps and the status poller refer to each other (status shows the running swap, a swap
  // refreshes status when it ends); `swaps` is assigned right below.
  let swaps: SwapService | null = null;
  const status = new StatusService({
    config,
    bus,
    intervalMs: deps.timings?.statusIntervalMs ?? 5000,
    swapInProgress: () => swaps?.running() ?? null,
    headDown: () => {
      const head = config.vllm.nodes[0];
      return head !== undefined && deps.transport.state(head).state === 'unreachable';
    },
  });
  const jobs = new JobRunner({ db: deps.db, bus, logger: app.log });
  const lock = new GpuLockService({ db: deps.db, bus });
  const schedules = new ScheduleService({ db: deps.db, bus });
  const webhooks = new WebhookNotifier({ urls: config.webhooks, bus, logger: app.log });
  const catalog = new CatalogService({
    db: deps.db,
    bus,
    onStoreProblem: (p) => app.log.warn(p, 'catalog row skipped'),
    enrich: (m) => {
      const loaded = status.current().vllm.model === m.served_model_name;
      if (!swaps) return { loaded, expected_seconds: m.expected_ready_seconds, warnings: [] };
      const snap = toResolved(m);
      let warnings: ReturnType<SwapService['warnings']>;
      try {
        warnings = swaps.warnings(snap);
      } catch (e) {
        // e.g. a cluster model on a one-node setup: say why it cannot run instead of failing the list.
        warnings = [{ code: 'other', message: (e as Error).message }];
      }
      return { loaded, expected_seconds: swaps.expected(snap), warnings };
    },
  });
  const vllmNodes = config.vllm.nodes
    .map((name) => config.nodes.find((n) => n.name === name)!)
    .filter(Boolean);
  const clusterNodes =
    vllmNodes.length > 1 ? vllmNodes : [...vllmNodes, ...config.nodes.filter((n) => !vllmNodes.includes(n))];
  swaps = new SwapService({
    runner: jobs,
    store: new SwapStore(deps.db),
    transport: deps.transport,
    bus,
    target: {
      nodes: clusterNodes,
      port: config.vllm.port,
      container: config.vllm.container,
      launcherDir: config.vllm.launcher_dir,
    },
    vllmBaseUrl: `http://${urlHost(vllmNodes[0]?.host ?? '127.0.0.1')}:${config.vllm.port}/v1`,
    catalog,
    lock,
    notify: (event, info) => webhooks.notify(event, info),
    hardware: () => hardware.current(),
    loadedModel: () => status.current().vllm.model,
    refreshStatus: () => void status.refresh(),
  });
  jobs.recoverInterrupted();

  const publicKey = (): PublicKeyResponse => ({
    public_key: deps.keys.publicKey,
    fingerprint: deps.keys.fingerprint,
    commands: config.nodes.map((n) => ({
      node: n.name,
      host: n.host,
      user: n.user,
      command: authorizeCommand(deps.keys.publicKey).text,
    })),
  });
  const meta: MetaResponse = {
    name: config.cluster_name,
    version: VERSION,
    simulated: config.simulated,
    open_webui_url: config.open_webui_url,
    nodes: config.nodes.map((n) => ({
      name: n.name,
      host: n.host,
      user: n.user,
      roles: [
        ...(config.vllm.nodes.includes(n.name) ? ['vllm'] : []),
        ...Object.values(config.services)
          .filter((s) => s.node === n.name)
          .map((s) => s.name),
      ],
    })),
  };

  app.get(
    '/api/meta',
    { schema: { summary: 'Cluster name, version, nodes and whether it is simulated', tags: ['platform'] } },
    async () => meta,
  );
  await app.register(eventRoutes, { bus, pingMs: deps.timings?.ssePingMs });
  closeStreamsOnShutdown(app, () => ({
    type: 'server_shutdown',
    ts: new Date().toISOString(),
    data: { reason: 'Spark Control is restarting' },
  }));
  await app.register(nodeRoutes, {
    nodes: config.nodes,
    hardware,
    store: hardwareStore,
    transport: deps.transport,
    historyHours: config.hardware.history_hours,
    publicKey,
  });
  await app.register(healthRoutes, { status });
  await app.register(jobRoutes, { runner: jobs, pingMs: deps.timings?.ssePingMs });
  await app.register(catalogRoutes, {
    catalog,
    loaded: () => ({ key: null, model: status.current().vllm.model }),
  });
  await app.register(coordinationRoutes, { lock, schedules });
  await app.register(swapRoutes, { swaps, runner: jobs });
  await app.register(gatewayRoutes, {
    apiKeys: config.api_keys,
    maxBodyMb: config.gateway.max_body_mb,
    maxUploadMb: config.gateway.max_upload_mb,
    uploads: uploadPolicy(limits, config.data_dir),
    vllmBaseUrl: () => status.endpoints().vllm.base_url,
    parakeetBaseUrl: () => status.endpoints().parakeet.base_url,
    magpieBaseUrl: () => status.endpoints().magpie.base_url,
    embeddingsUrl: config.embeddings_url,
    swapOnRequest: config.gateway.swap_on_request
      ? new SwapOnRequest({
          keyFor: (model) => catalog.keyForServedModel(model),
          loadedModel: () => status.endpoints().vllm.model,
          running: () => swaps.running(),
          start: (key) => swaps.start(key, null),
          probe: () => status.checkVllm(),
          bus,
          timeoutMs: config.gateway.swap_on_request_timeout_s * 1000,
        })
      : undefined,
    onSpeechFailure: (service) => {
      app.log.warn({ service }, 'speech service failed a gateway request; probing it now');
      connectivity.reportGatewayFailure(service);
      void status.refresh();
    },
  });
  if (deps.sim)
    await app.register(simControlRoutes, {
      sim: deps.sim,
      nodes: config.nodes,
      onChange: () => void hardware.sweep(),
    });

  if (deps.webRoot && existsSync(deps.webRoot)) {
    await app.register(fastifyStatic, { root: deps.webRoot, prefix: '/', wildcard: false });
  }

  if (deps.startSamplers !== false) {
    app.addHook('onReady', async () => {
      hardware.start();
      status.start();
    });
  }
  app.addHook('onClose', async () => {
    hardware.stop();
    status.stop();
    lock.stop();
    webhooks.stop();
    // Running jobs stay `running` in the database so the next start can re-attach to them.
    await jobs.shutdown();
  });
  return app;
}
