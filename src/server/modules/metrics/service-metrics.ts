// Service health from the snapshots other modules keep: each service's docker state and HTTP
// health (services module), the last deep check and the auto-restart budget (deep health), and
// what vLLM is doing (the status poller). Read at scrape time; nothing here asks a node.
import type { StatusResponse, VllmState } from '../../../common/api.js';
import type {
  DeepHealthResponse,
  DockerState,
  HttpHealth,
  ServicesResponse,
} from '../../../common/services-api.js';
import { epochSeconds, stateSeries } from './labels.js';
import type { Scrape } from './scrape.js';

export const DOCKER_STATES: readonly DockerState[] = [
  'running',
  'exited',
  'restarting',
  'paused',
  'missing',
  'unknown',
];
export const HTTP_HEALTH: readonly HttpHealth[] = [
  'healthy',
  'unhealthy',
  'starting',
  'not configured',
  'unknown',
];
const DEEP_OUTCOMES = ['ok', 'failed', 'skipped'] as const;
const VLLM_STATES: readonly VllmState[] = ['loaded', 'idle', 'loading', 'unreachable', 'unknown'];

export interface ServiceSources {
  services: () => ServicesResponse;
  deepHealth: () => DeepHealthResponse | null;
  status: () => StatusResponse;
  swapRunning: () => unknown;
}

export function serviceMetrics(s: Scrape, src: ServiceSources): void {
  const services = s.perScrape(() => src.services().services);
  const deep = s.perScrape(() => Object.entries(src.deepHealth()?.services ?? {}));

  s.gauge(
    'service_up',
    '1 when the container runs and its HTTP health (if it has one) is healthy',
    ['service', 'node', 'kind'],
    function* () {
      for (const v of services()) {
        const up = v.docker_state === 'running' && (v.health === null || v.health === 'healthy');
        yield [{ service: v.name, node: v.node, kind: v.kind }, up ? 1 : 0];
      }
    },
  );
  s.gauge(
    'service_docker_state',
    "The container's docker state (1 for the current one)",
    ['service', 'state'],
    function* () {
      for (const v of services())
        for (const [state, on] of stateSeries(DOCKER_STATES, v.docker_state))
          yield [{ service: v.name, state }, on];
    },
  );
  s.gauge(
    'service_http_health',
    "The service's HTTP health check (1 for the current result); bots have none",
    ['service', 'health'],
    function* () {
      for (const v of services()) {
        if (v.health === null) continue;
        for (const [health, on] of stateSeries(HTTP_HEALTH, v.health))
          yield [{ service: v.name, health }, on];
      }
    },
  );
  s.gauge('service_container_restarts', "Docker's restart count of the container", ['service'], function* () {
    for (const v of services()) yield [{ service: v.name }, v.restart_count];
  });

  s.gauge(
    'deep_check_outcome',
    'Outcome of the last deep check (1 for the current one)',
    ['service', 'outcome'],
    function* () {
      for (const [service, d] of deep()) {
        if (!d.last) continue;
        for (const [outcome, on] of stateSeries(DEEP_OUTCOMES, d.last.outcome))
          yield [{ service, outcome }, on];
      }
    },
  );
  s.gauge('deep_check_latency_seconds', 'How long the last deep check took', ['service'], function* () {
    for (const [service, d] of deep())
      yield [{ service }, d.last?.latency_ms === null || !d.last ? null : d.last.latency_ms / 1000];
  });
  s.gauge(
    'deep_check_timestamp_seconds',
    'When the last deep check ran (Unix time)',
    ['service'],
    function* () {
      for (const [service, d] of deep()) yield [{ service }, epochSeconds(d.last?.at)];
    },
  );
  s.gauge(
    'auto_restarts_in_window',
    'Automatic restarts (or vLLM relaunches) in the current deep-health window',
    ['service'],
    function* () {
      for (const [service, d] of deep()) yield [{ service }, d.auto_restart.restarts_in_window];
    },
  );
  s.gauge(
    'auto_restart_paused',
    '1 when the auto-restart budget is spent and restarts are paused',
    ['service'],
    function* () {
      for (const [service, d] of deep()) yield [{ service }, d.auto_restart.paused ? 1 : 0];
    },
  );

  const status = s.perScrape(src.status);
  s.gauge('vllm_state', 'What vLLM is doing (1 for the current state)', ['state'], () =>
    stateSeries(VLLM_STATES, status().vllm.state).map(([state, on]) => [{ state }, on]),
  );
  s.gauge('vllm_model_loaded', 'The model vLLM serves (value 1; absent when none)', ['model'], () => {
    const model = status().vllm.model;
    return model ? [[{ model }, 1]] : [];
  });
  s.gauge('swap_in_progress', '1 while a model swap runs', [], () => [[{}, src.swapRunning() ? 1 : 0]]);
}
