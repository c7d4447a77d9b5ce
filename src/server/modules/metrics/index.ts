// The metrics module in one call for buildApp: GET /metrics in Prometheus' text format (SPEC §16).
// Wired last, so it can read every other module's in-memory snapshot at scrape time (hardware,
// status, services, deep health, the running swap) and listen to the bus (swaps, jobs) and the
// gateway (requests). A scrape never runs SSH or waits on a probe.
import type { FastifyInstance } from 'fastify';
import type { HardwareSnapshot, StatusResponse } from '../../../common/api.js';
import type { DeepHealthResponse, ServicesResponse } from '../../../common/services-api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { openStreamCount } from '../../platform/http/sse.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import { VERSION } from '../../version.js';
import type { GatewayModule } from '../gateway/index.js';
import { metricsGuard } from './access.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { JobMetrics } from './job-metrics.js';
import { ModelLabels } from './labels.js';
import { nodeMetrics } from './node-metrics.js';
import { metricsRoutes } from './routes.js';
import { Scrape } from './scrape.js';
import { serviceMetrics } from './service-metrics.js';
import { SwapMetrics } from './swap-metrics.js';

export { Scrape } from './scrape.js';

export interface MetricsSources {
  hardware: { current(): HardwareSnapshot };
  status: { current(): StatusResponse };
  services: { current(): ServicesResponse };
  deepHealth: { snapshot(): DeepHealthResponse } | null;
  swaps: { running(): unknown };
  catalog: { keyForServedModel(model: string): string | null };
  runner: Pick<JobRunnerApi, 'list'>;
}

export interface MetricsModuleDeps extends MetricsSources {
  config: Pick<AppConfig, 'metrics'>;
  bus: EventBus;
  admin: { enabled: boolean; identify(headers: { authorization?: string; cookie?: string }): unknown };
  gateway: Pick<GatewayModule, 'observe'> | null;
  /** Open SSE streams; the app's own count unless a test or the bench says otherwise. */
  sseClients?: () => number;
}

/** Every collector on one registry; the bench builds it with fake sources, the app with the real ones. */
export function buildMetrics(d: Omit<MetricsModuleDeps, 'config' | 'admin'> & { sseClients: () => number }) {
  const scrape = new Scrape(true);
  scrape.gauge('build_info', 'Spark Control build (value 1)', ['version'], () => [[{ version: VERSION }, 1]]);
  scrape.gauge('sse_clients', 'Open server-sent event streams (dashboards, job and log streams)', [], () => [
    [{}, d.sseClients()],
  ]);
  nodeMetrics(scrape, () => d.hardware.current());
  serviceMetrics(scrape, {
    services: () => d.services.current(),
    deepHealth: () => d.deepHealth?.snapshot() ?? null,
    status: () => d.status.current(),
    swapRunning: () => d.swaps.running(),
  });
  const swaps = new SwapMetrics(scrape);
  const jobs = new JobMetrics(
    scrape,
    d.runner.list({ limit: 500 }).filter((j) => j.state === 'running'),
  );
  const known = (model: string) =>
    model === d.status.current().vllm.model ||
    d.catalog.keyForServedModel(model) !== null ||
    d.services.current().services.some((s) => s.models.includes(model));
  const gateway = new GatewayMetrics(scrape, new ModelLabels(known));
  d.gateway?.observe(gateway.watch);
  const unsubscribe = d.bus.subscribe((e) => {
    if (e.type === 'swap') swaps.onSwap(e.data);
    else if (e.type === 'job') jobs.onJob(e.data);
  });
  return { scrape, unsubscribe };
}

export async function metricsModule(app: FastifyInstance, d: MetricsModuleDeps): Promise<Scrape> {
  const { scrape, unsubscribe } = buildMetrics({
    ...d,
    sseClients: d.sseClients ?? (() => openStreamCount(app.server)),
  });
  const guard = metricsGuard({
    token: d.config.metrics.token,
    adminAuth: d.admin.enabled,
    isAdmin: (headers) => d.admin.identify(headers) !== null,
  });
  await app.register(metricsRoutes, { scrape, guard });
  app.addHook('onClose', async () => unsubscribe());
  return scrape;
}
