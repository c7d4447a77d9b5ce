// Fixed snapshots in the shapes the real modules keep, for the collectors' tests and the metrics
// benchmark (16 nodes, 10 services…): the outermost seam of a scrape, since a scrape only reads them.
import type { HardwareSnapshot, JobInfo, NodeHardware, StatusResponse } from '../../../common/api.js';
import type { DeepHealthResponse, ServiceInfo } from '../../../common/services-api.js';
import { unreachableHardware } from '../nodes/hardware/parse-probe.js';
import type { MetricsSources } from './index.js';

const GiB = 1024 ** 3;

export function fakeNode(name: string, ok = true): NodeHardware {
  const base = unreachableHardware(
    { name, host: '127.0.0.1' },
    ok ? '' : 'connection refused',
    ok ? null : 'unreachable',
  );
  if (!ok) return base;
  return {
    ...base,
    ok: true,
    error: null,
    uptime_s: 3600,
    load1: 1.5,
    load5: 1.25,
    load15: 1,
    cores: 20,
    ram_total: 128 * GiB,
    ram_used: 40 * GiB,
    ram_available: 88 * GiB,
    disk_total: 4000 * GiB,
    disk_used: 1000 * GiB,
    disk_free: 3000 * GiB,
    hf_cache: { path: '/data', total: 2000 * GiB, used: 500 * GiB, free: 1500 * GiB },
    gpu: { name: 'NVIDIA GB10', util_pct: 87, temp_c: 61, power_w: 45.5 },
    gpu_mem_used: 90 * GiB,
    gpu_mem_total: 128 * GiB,
    gpu_unified_memory: true,
    sampled_at: new Date().toISOString(),
    age_s: 2,
  };
}

export function fakeService(name: string, node: string, over: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    name,
    kind: 'asr',
    node,
    host: '127.0.0.1',
    base_url: 'http://127.0.0.1:9000',
    container: name,
    api: null,
    docker_state: 'running',
    restart_count: 0,
    started_at: null,
    health: 'healthy',
    models: [],
    deep_check: null,
    auto_restart: null,
    custom: false,
    job: null,
    last_job: null,
    error: null,
    checked_at: null,
    ...over,
  };
}

export interface FakeState {
  hardware: HardwareSnapshot;
  services: ServiceInfo[];
  deep: DeepHealthResponse;
  status: StatusResponse;
  swapRunning: unknown;
  jobs: JobInfo[];
  servedModels: string[];
  calls: Record<'hardware' | 'services' | 'deep' | 'status', number>;
}

export function fakeState(o: { nodes: number; services: number }): FakeState {
  const hardware: HardwareSnapshot = {};
  for (let i = 1; i <= o.nodes; i++) hardware[`spark${i}`] = fakeNode(`spark${i}`);
  const services = Array.from({ length: o.services }, (_, i) =>
    fakeService(`svc${i + 1}`, `spark${(i % o.nodes) + 1}`),
  );
  const at = new Date().toISOString();
  const deep: DeepHealthResponse = { interval_s: 300, services: {}, loopback: null };
  for (const s of services.slice(0, 3)) {
    deep.services[s.name] = {
      last: {
        service: s.name,
        outcome: 'ok',
        at,
        latency_ms: 250,
        error: null,
        wedge_signature: null,
        http_status: 200,
        trigger: 'schedule',
      },
      auto_restart: {
        restarts_in_window: 0,
        max_per_window: 3,
        window_min: 30,
        last_restart_at: null,
        paused: false,
        reason: null,
        next_allowed_at: null,
      },
    };
  }
  const status: StatusResponse = {
    vllm: {
      ok: true,
      base_url: 'http://127.0.0.1:8000/v1',
      note: null,
      error: null,
      state: 'loaded',
      model: 'served-a',
      models: ['served-a'],
    },
    parakeet: { ok: true, base_url: null, note: null, error: null },
    magpie: { ok: true, base_url: null, note: null, error: null },
    swap: null,
    checked_at: at,
  };
  return {
    hardware,
    services,
    deep,
    status,
    swapRunning: null,
    jobs: [],
    servedModels: ['served-a', 'served-b'],
    calls: { hardware: 0, services: 0, deep: 0, status: 0 },
  };
}

/** MetricsSources reading `st` (and counting how often each snapshot is read). */
export function fakeSources(st: FakeState): MetricsSources {
  return {
    hardware: { current: () => (st.calls.hardware++, st.hardware) },
    services: { current: () => (st.calls.services++, { services: st.services, checked_at: null }) },
    deepHealth: { snapshot: () => (st.calls.deep++, st.deep) },
    status: { current: () => (st.calls.status++, st.status) },
    swaps: { running: () => st.swapRunning },
    catalog: { keyForServedModel: (m) => (st.servedModels.includes(m) ? `key-${m}` : null) },
    runner: { list: () => st.jobs },
  };
}
