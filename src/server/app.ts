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
import { installErrorHandling } from './platform/http/error-handler.js';
import type { NodeTransport } from './platform/remote/transport.js';
import { authorizeCommand } from './platform/remote/keys.js';
import type { Db } from './platform/store/db.js';
import { HardwareService } from './modules/nodes/hardware-service.js';
import { HardwareStore } from './modules/nodes/hardware-store.js';
import { nodeRoutes } from './modules/nodes/routes.js';
import { StatusService } from './modules/health/status-service.js';
import { healthRoutes } from './modules/health/routes.js';
import { simControlRoutes, type SimFaults } from './modules/sim-control/routes.js';
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
  timings?: { hardwareIntervalMs?: number; statusIntervalMs?: number; ssePingMs?: number };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    // Keep-alive connections from the dashboard and gateway clients outlive Node's 5 s default.
    keepAliveTimeout: 65_000,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });
  installErrorHandling(app);

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
  const status = new StatusService({ config, bus, intervalMs: deps.timings?.statusIntervalMs ?? 5000 });

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
  await app.register(nodeRoutes, {
    nodes: config.nodes,
    hardware,
    store: hardwareStore,
    transport: deps.transport,
    historyHours: config.hardware.history_hours,
    publicKey,
  });
  await app.register(healthRoutes, { status });
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
  });
  return app;
}
