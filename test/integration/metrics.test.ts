// GET /metrics over the simulator: after real gateway traffic (the fast path and Fastify's routes,
// two API keys, a bad key, a model nobody serves) and a real swap, the exposition is valid text
// format (strict parser), carries the values, names key *names* only, and answers to the token.
// Auth modes: a metrics token; none with admin auth off (open); none with admin auth on (admin
// credential). A scrape runs no SSH (counted in the simulator's sshd exec log).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse, StatusResponse, SwapInfo } from '../../src/common/api.js';
import { sshExecLog } from '../../src/sim/argv-log.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parsePrometheusText, sampleOf, type PromFamily } from '../helpers/prom-text.js';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';
const ALICE = 'sk-alice-secret-value-1111';
const BOB = 'sk-bob-secret-value-2222';
const ADMIN = 'admin-token-for-the-test-4567';

const scrape = (c: TestCluster, token?: string) =>
  fetch(`${c.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

async function families(c: TestCluster, token?: string): Promise<Map<string, PromFamily>> {
  const res = await scrape(c, token);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

const chat = (c: TestCluster, key: string, body: unknown) =>
  fetch(`${c.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });

describe('GET /metrics with a metrics token, after gateway traffic and a swap', () => {
  let c: TestCluster;
  let served: string;
  let target: ModelsResponse['models'][number];

  beforeAll(async () => {
    c = await startTestCluster({
      speed: 0.05,
      env: { METRICS_TOKEN, GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB}` },
    });
    served = await waitFor(
      async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model,
    );
    const messages = [{ role: 'user', content: 'hi' }];
    expect((await chat(c, ALICE, { model: served, messages })).status).toBe(200);
    const stream = await chat(c, BOB, { model: served, messages, stream: true });
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain('[DONE]');
    expect((await chat(c, ALICE, { model: 'no-such-model-anywhere', messages })).status).toBe(404);
    expect((await chat(c, 'sk-wrong-key-3333', { model: served, messages })).status).toBe(401);
    const models = await fetch(`${c.url}/v1/models`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(models.status).toBe(200);

    target = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models.find(
      (x) => x.mode === 'solo' && !x.loaded && x.warnings.length === 0,
    )!;
    const r = await getJson<{ id: string }>(`${c.url}/api/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: target.key }),
    });
    expect(r.status).toBe(200);
    const end = await waitFor(async () => {
      const s = (await getJson<SwapInfo>(`${c.url}/api/swap/${r.body.id}`)).body;
      return ['ready', 'failed', 'cancelled'].includes(s.state) ? s : null;
    }, 60_000);
    expect(end.state, end.error ?? '').toBe('ready');
  });
  afterAll(async () => {
    await c?.close();
  });

  it('refuses a scrape without the token or with a wrong one, with the JSON error and no echo', async () => {
    for (const token of [undefined, 'metrics-token-for-the-test-0124', ALICE]) {
      const res = await scrape(c, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(body)).not.toContain(METRICS_TOKEN);
      if (token) expect(JSON.stringify(body)).not.toContain(token);
    }
  });

  it('serves the text format with nodes, services, the loaded model and build info', async () => {
    const res = await scrape(c, METRICS_TOKEN);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const f = parsePrometheusText(text);
    for (const node of c.config.nodes.map((n) => n.name)) {
      expect(sampleOf(f, 'spark_control_node_up', { node })).toBe(1);
      expect(sampleOf(f, 'spark_control_gpu_utilization_ratio', { node })).toBeGreaterThanOrEqual(0);
      expect(sampleOf(f, 'spark_control_node_memory_total_bytes', { node })).toBeGreaterThan(0);
      expect(sampleOf(f, 'spark_control_node_filesystem_size_bytes', { node, fs: 'root' })).toBeGreaterThan(
        0,
      );
    }
    expect(f.get('spark_control_gpu_temperature_celsius')).toMatchObject({ type: 'gauge' });
    expect(f.get('spark_control_gpu_temperature_celsius')?.help).toMatch(/temperature/i);
    for (const name of Object.keys(c.config.services))
      expect(
        f.get('spark_control_service_docker_state')?.samples.some((s) => s.labels.service === name),
      ).toBe(true);
    expect(sampleOf(f, 'spark_control_vllm_model_loaded', { model: target.served_model_name })).toBe(1);
    expect(f.get('spark_control_build_info')?.samples).toHaveLength(1);
    expect(f.get('process_resident_memory_bytes')?.type).toBe('gauge');
    // A published parser (prom2json-compatible output) reads the same families, types and series.
    const published = parsePrometheusTextFormat(text);
    expect(published.map((x) => x.name).sort()).toEqual([...f.keys()].sort());
    for (const fam of published) {
      const ours = f.get(fam.name)!;
      expect(fam.type.toLowerCase(), fam.name).toBe(ours.type);
      if (fam.type === 'HISTOGRAM') continue; // our parser keeps _bucket/_sum/_count as samples
      expect(fam.metrics.length, fam.name).toBe(ours.samples.length);
    }
    const up = published.find((x) => x.name === 'spark_control_node_up')!;
    expect(up.metrics.map((m) => Number(m.value))).toEqual(c.config.nodes.map(() => 1));
  });

  it('counts the swap by model and outcome, with its duration, and the swap job', async () => {
    const f = await families(c, METRICS_TOKEN);
    const model = target.served_model_name;
    expect(sampleOf(f, 'spark_control_swaps_total', { model, outcome: 'ready' })).toBe(1);
    const h = 'spark_control_swap_duration_seconds';
    expect(sampleOf(f, h, { model, outcome: 'ready' }, `${h}_count`)).toBe(1);
    expect(sampleOf(f, h, { model, outcome: 'ready' }, `${h}_sum`)).toBeGreaterThan(0);
    expect(
      sampleOf(f, 'spark_control_jobs_finished_total', { kind: 'swap', state: 'succeeded' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleOf(f, 'spark_control_swap_in_progress')).toBe(0);
  });

  it('counts gateway requests by route, model and key name, with latency, TTFT and errors', async () => {
    const f = await families(c, METRICS_TOKEN);
    const route = '/v1/chat/completions';
    const alice = { route, model: served, key_name: 'alice' };
    const bob = { route, model: served, key_name: 'bob' };
    expect(sampleOf(f, 'spark_control_gateway_requests_total', alice)).toBe(1);
    expect(sampleOf(f, 'spark_control_gateway_errors_total', alice)).toBe(0);
    const d = 'spark_control_gateway_request_duration_seconds';
    expect(sampleOf(f, d, alice, `${d}_count`)).toBe(1);
    const t = 'spark_control_gateway_time_to_first_token_seconds';
    expect(sampleOf(f, t, bob, `${t}_count`)).toBe(1);
    expect(sampleOf(f, t, alice, `${t}_count`)).toBe(0); // not streamed
    // A model nobody serves is `other`; a refused key is anonymous; /v1/models has no model.
    expect(
      sampleOf(f, 'spark_control_gateway_errors_total', { route, model: 'other', key_name: 'alice' }),
    ).toBe(1);
    expect(sampleOf(f, 'spark_control_gateway_errors_total', { route, key_name: 'anonymous' })).toBe(1);
    expect(
      sampleOf(f, 'spark_control_gateway_requests_total', {
        route: '/v1/models',
        model: 'none',
        key_name: 'alice',
      }),
    ).toBe(1);
    const text = await (await scrape(c, METRICS_TOKEN)).text();
    for (const secret of [ALICE, BOB, 'sk-wrong-key-3333', METRICS_TOKEN, 'no-such-model-anywhere'])
      expect(text).not.toContain(secret);
  });

  it('counts open event streams', async () => {
    const ctrl = new AbortController();
    const events = await fetch(`${c.url}/api/events`, { signal: ctrl.signal });
    expect(events.status).toBe(200);
    try {
      expect(sampleOf(await families(c, METRICS_TOKEN), 'spark_control_sse_clients')).toBeGreaterThanOrEqual(
        1,
      );
    } finally {
      ctrl.abort();
    }
    await waitFor(async () => sampleOf(await families(c, METRICS_TOKEN), 'spark_control_sse_clients') === 0);
  });
});

describe('GET /metrics without a metrics token', () => {
  const execs = (c: TestCluster) =>
    c.config.nodes.reduce((n, node) => n + sshExecLog(join(c.dataDir, 'sim'), node.name).length, 0);

  it('is open when admin auth is off, and a scrape runs no SSH', async () => {
    // Samplers off: nothing else talks to the nodes, so any exec in the window is the scrape's.
    const c = await startTestCluster({ nodes: 1, startSamplers: false });
    try {
      const node = c.config.nodes[0]!.name;
      // Not probed yet: the node is reported as down, not made up.
      expect(sampleOf(await families(c), 'spark_control_node_up', { node })).toBe(0);
      // One sweep by hand: the exec log records it, and the sample shows in the next scrape.
      await c.app.inject({ method: 'POST', url: `/api/ssh/check/${node}` });
      await waitFor(async () => sampleOf(await families(c), 'spark_control_node_up', { node }) === 1);
      await new Promise((r) => setTimeout(r, 300)); // let the sweep's last exec finish
      const before = execs(c);
      expect(before).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) await families(c);
      expect(execs(c)).toBe(before);
    } finally {
      await c.close();
    }
  });

  it('wants an admin credential when admin auth is on, and says how to give Prometheus a token', async () => {
    const c = await startTestCluster({
      nodes: 1,
      startSamplers: false,
      env: { ADMIN_TOKENS: `prom:${ADMIN}` },
    });
    try {
      const refused = await scrape(c);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'METRICS_TOKEN',
      );
      expect((await scrape(c, 'admin-token-for-the-test-4568')).status).toBe(401);
      await families(c, ADMIN);
    } finally {
      await c.close();
    }
  });
});
