// The collectors over fixed snapshots: every scrape must be valid exposition text (strict parser),
// carry the values of the snapshots it read, read each snapshot once, and count bus events once.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo, SwapInfo } from '../../../common/api.js';
import { parsePrometheusText, sampleOf } from '../../../../test/helpers/prom-text.js';
import { EventBus } from '../../platform/events/bus.js';
import { fakeNode, fakeService, fakeSources, fakeState, type FakeState } from './fake-sources.js';
import { buildMetrics } from './index.js';

const built: (() => void)[] = [];
afterEach(() => built.splice(0).forEach((stop) => stop()));

function setup(st: FakeState = fakeState({ nodes: 2, services: 3 })) {
  const bus = new EventBus();
  const m = buildMetrics({ ...fakeSources(st), bus, gateway: null, sseClients: () => 4 });
  built.push(m.unsubscribe);
  const scrape = async () => parsePrometheusText(await m.scrape.metrics());
  return { st, bus, scrape };
}

const swap = (id: string, state: SwapInfo['state'], elapsed_s = 42): SwapInfo => ({
  id,
  key: 'k',
  display_name: 'K',
  model: 'served-a',
  mode: 'solo',
  nodes: ['spark1'],
  state,
  phase: state,
  holder: null,
  error: null,
  previous_model: null,
  launch_cmd: '',
  started_at: new Date().toISOString(),
  finished_at: null,
  timings: {},
  elapsed_s,
  expected_s: 60,
  progress: 0,
  log_tail: [],
});

const job = (id: string, kind: string, state: JobInfo['state']): JobInfo => ({
  id,
  kind,
  state,
  phase: '',
  progress: null,
  error: null,
  started_at: new Date().toISOString(),
  finished_at: state === 'running' ? null : new Date().toISOString(),
  locks: [],
  meta: {},
});

describe('metrics collectors', () => {
  it('exports node hardware per node, leaves a down node at node_up 0 with no made-up values', async () => {
    const { st, scrape } = setup();
    st.hardware.spark2 = fakeNode('spark2', false);
    const f = await scrape();
    expect(sampleOf(f, 'spark_control_node_up', { node: 'spark1' })).toBe(1);
    expect(sampleOf(f, 'spark_control_node_up', { node: 'spark2' })).toBe(0);
    expect(sampleOf(f, 'spark_control_gpu_utilization_ratio', { node: 'spark1' })).toBeCloseTo(0.87);
    expect(sampleOf(f, 'spark_control_gpu_temperature_celsius', { node: 'spark1' })).toBe(61);
    expect(sampleOf(f, 'spark_control_gpu_power_watts', { node: 'spark1' })).toBe(45.5);
    expect(sampleOf(f, 'spark_control_gpu_memory_used_bytes', { node: 'spark1' })).toBe(90 * 1024 ** 3);
    expect(sampleOf(f, 'spark_control_node_filesystem_free_bytes', { node: 'spark1', fs: 'hf_cache' })).toBe(
      1500 * 1024 ** 3,
    );
    expect(sampleOf(f, 'spark_control_node_load1', { node: 'spark1' })).toBe(1.5);
    expect(sampleOf(f, 'spark_control_gpu_temperature_celsius', { node: 'spark2' })).toBeUndefined();
    expect(sampleOf(f, 'spark_control_node_memory_used_bytes', { node: 'spark2' })).toBeUndefined();
    expect(f.get('spark_control_node_up')).toMatchObject({ type: 'gauge' });
  });

  it('drops the series of a node that is gone, and reads each snapshot once per scrape', async () => {
    const { st, scrape } = setup();
    await scrape();
    const calls = { ...st.calls };
    delete st.hardware.spark2;
    const f = await scrape();
    expect(sampleOf(f, 'spark_control_node_up', { node: 'spark2' })).toBeUndefined();
    expect(st.calls.hardware - calls.hardware).toBe(1);
    expect(st.calls.services - calls.services).toBe(1);
    expect(st.calls.deep - calls.deep).toBe(1);
    expect(st.calls.status - calls.status).toBe(1);
  });

  it('exports service state as enum series, HTTP health except for bots, and deep checks', async () => {
    const st = fakeState({ nodes: 2, services: 3 });
    st.services[1] = fakeService('svc2', 'spark2', { docker_state: 'exited', health: 'unknown' });
    st.services[2] = fakeService('bot', 'spark1', { kind: 'bot', health: null });
    st.deep.services.svc1!.last!.outcome = 'failed';
    st.deep.services.svc1!.auto_restart.restarts_in_window = 2;
    const { scrape } = setup(st);
    const f = await scrape();
    expect(sampleOf(f, 'spark_control_service_up', { service: 'svc1' })).toBe(1);
    expect(sampleOf(f, 'spark_control_service_up', { service: 'svc2' })).toBe(0);
    expect(sampleOf(f, 'spark_control_service_up', { service: 'bot', kind: 'bot' })).toBe(1);
    expect(sampleOf(f, 'spark_control_service_docker_state', { service: 'svc2', state: 'exited' })).toBe(1);
    expect(sampleOf(f, 'spark_control_service_docker_state', { service: 'svc2', state: 'running' })).toBe(0);
    expect(sampleOf(f, 'spark_control_service_http_health', { service: 'svc1', health: 'healthy' })).toBe(1);
    expect(
      sampleOf(f, 'spark_control_service_http_health', { service: 'bot', health: 'healthy' }),
    ).toBeUndefined();
    expect(
      sampleOf(f, 'spark_control_service_http_health', { service: 'svc1', health: 'not configured' }),
    ).toBe(0);
    expect(sampleOf(f, 'spark_control_deep_check_outcome', { service: 'svc1', outcome: 'failed' })).toBe(1);
    expect(sampleOf(f, 'spark_control_deep_check_outcome', { service: 'svc1', outcome: 'ok' })).toBe(0);
    expect(sampleOf(f, 'spark_control_deep_check_latency_seconds', { service: 'svc1' })).toBe(0.25);
    expect(sampleOf(f, 'spark_control_auto_restarts_in_window', { service: 'svc1' })).toBe(2);
    expect(sampleOf(f, 'spark_control_vllm_state', { state: 'loaded' })).toBe(1);
    expect(sampleOf(f, 'spark_control_vllm_model_loaded', { model: 'served-a' })).toBe(1);
    expect(sampleOf(f, 'spark_control_sse_clients')).toBe(4);
  });

  it('counts each swap once when it ends, by model and outcome, with its duration', async () => {
    const { bus, scrape } = setup();
    bus.publish('swap', swap('s1', 'loading'));
    bus.publish('swap', swap('s1', 'ready', 42));
    bus.publish('swap', swap('s1', 'ready', 42)); // published again: still one swap
    bus.publish('swap', swap('s2', 'failed', 3));
    const f = await scrape();
    expect(sampleOf(f, 'spark_control_swaps_total', { model: 'served-a', outcome: 'ready' })).toBe(1);
    expect(sampleOf(f, 'spark_control_swaps_total', { model: 'served-a', outcome: 'failed' })).toBe(1);
    expect(sampleOf(f, 'spark_control_swaps_total', { outcome: 'loading' })).toBeUndefined();
    const h = 'spark_control_swap_duration_seconds';
    expect(sampleOf(f, h, { outcome: 'ready' }, `${h}_sum`)).toBe(42);
    expect(sampleOf(f, h, { outcome: 'ready', le: '30' }, `${h}_bucket`)).toBe(0);
    expect(sampleOf(f, h, { outcome: 'ready', le: '60' }, `${h}_bucket`)).toBe(1);
    expect(f.get('spark_control_swaps_total')?.type).toBe('counter');
  });

  it('tracks running jobs by kind (including those running at start) and counts finished ones once', async () => {
    const st = fakeState({ nodes: 1, services: 1 });
    st.jobs = [job('old', 'download', 'running'), job('done-before', 'download', 'succeeded')];
    const { bus, scrape } = setup(st);
    bus.publish('job', job('j1', 'swap', 'running'));
    bus.publish('job', job('j1', 'swap', 'running')); // a phase change
    let f = await scrape();
    expect(sampleOf(f, 'spark_control_jobs_running', { kind: 'download' })).toBe(1);
    expect(sampleOf(f, 'spark_control_jobs_running', { kind: 'swap' })).toBe(1);
    bus.publish('job', job('j1', 'swap', 'failed'));
    bus.publish('job', job('j1', 'swap', 'failed'));
    bus.publish('job', job('old', 'download', 'succeeded'));
    f = await scrape();
    expect(sampleOf(f, 'spark_control_jobs_running', { kind: 'swap' })).toBeUndefined();
    expect(sampleOf(f, 'spark_control_jobs_finished_total', { kind: 'swap', state: 'failed' })).toBe(1);
    expect(sampleOf(f, 'spark_control_jobs_finished_total', { kind: 'download', state: 'succeeded' })).toBe(
      1,
    );
  });

  it('follows Prometheus naming: our prefix, HELP and TYPE on every family, units and _total', async () => {
    const { scrape } = setup();
    const f = await scrape();
    const ours = [...f.values()].filter((x) => x.name.startsWith('spark_control_'));
    expect(ours.length).toBeGreaterThan(25);
    for (const fam of ours) {
      expect(fam.help, fam.name).toBeTruthy();
      expect(fam.type, fam.name).not.toBe('untyped');
      expect(fam.name, 'snake_case').toMatch(/^[a-z][a-z0-9_]*$/);
      if (fam.type === 'counter') expect(fam.name).toMatch(/_total$/);
      else expect(fam.name).not.toMatch(/_total$/);
      for (const s of fam.samples)
        for (const l of Object.keys(s.labels)) expect(l).toMatch(/^[a-z][a-z0-9_]*$/);
    }
    // Node's own process metrics are there, under their standard names.
    expect(f.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(f.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
  });
});
