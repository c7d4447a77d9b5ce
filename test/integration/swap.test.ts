// Model swaps end to end: real SSH to the simulated head node, its real git checkout of the
// launcher, vLLM's flag checks and engine-init failures, the GPU lock, webhooks and restarts.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  LockResponse,
  ModelsResponse,
  StatusResponse,
  SwapInfo,
  ValidateResponse,
} from '../../src/common/api.js';
import { writeHubRepo } from '../../src/sim/hf-cache.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

type Err = { error: { code: string; message: string } };

const post = <T>(url: string, body?: unknown) =>
  getJson<T>(url, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

async function finished(c: TestCluster, id: string, timeoutMs = 45_000): Promise<SwapInfo> {
  return waitFor(async () => {
    const s = (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`)).body;
    return ['ready', 'failed', 'cancelled'].includes(s.state) ? s : null;
  }, timeoutMs);
}

/** The demo leaves the cluster model off spark2 (so it shows a Download): put it there. */
function clusterWeightsEverywhere(c: TestCluster, repo: string | null): void {
  for (const n of c.sim.nodes) writeHubRepo(n.home, String(repo));
}

async function loadedModel(c: TestCluster): Promise<string | null> {
  return (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model;
}

describe('model swap', () => {
  let c: TestCluster;
  let hooks: Server;
  const received: { event: string; swap: SwapInfo }[] = [];

  beforeAll(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as { event: string; swap: SwapInfo });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    const port = (hooks.address() as { port: number }).port;
    c = await startTestCluster({ speed: 0.03, env: { SWAP_WEBHOOK_URLS: `http://127.0.0.1:${port}/hook` } });
    await waitFor(async () => (await loadedModel(c)) !== null);
  });
  afterAll(async () => {
    await c?.close();
    hooks?.close();
  });

  it('lists the catalog with effective knobs, the loaded model and pre-flight warnings', async () => {
    const m = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body;
    expect(m.models.length).toBeGreaterThanOrEqual(5);
    const loaded = m.models.find((x) => x.loaded);
    expect(loaded?.served_model_name).toBe(await loadedModel(c));
    expect(m.loaded_key).toBe(loaded?.key);
    for (const x of m.models) expect(x.effective_knobs).toHaveProperty('gpu_memory_utilization');
    expect(m.models.some((x) => x.mode === 'cluster')).toBe(true);
  });

  it('swaps a solo model to ready, detected by /v1/models, and notifies the webhook', async () => {
    const target = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models.find(
      (x) => x.mode === 'solo' && !x.loaded && x.warnings.length === 0,
    )!;
    const started = Date.now();
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: target.key });
    expect(r.status).toBe(200);
    const again = await post<Err>(`${c.url}/api/swap`, { key: target.key });
    expect(again.status).toBe(409);
    // The refusal is an answer, not a swap: the running one stays "current", nothing piles up.
    expect((await getJson<SwapInfo>(`${c.url}/api/swap/current`)).body.id).toBe(r.body.id);
    const rows = c.db.prepare('SELECT id FROM swaps WHERE started_at >= ?').all(started) as { id: string }[];
    expect(rows.map((x) => x.id)).toEqual([r.body.id]);
    const s = await finished(c, r.body.id);
    expect(s.state, s.error ?? '').toBe('ready');
    expect(s.progress).toBe(1);
    expect(Object.keys(s.timings)).toEqual(expect.arrayContaining(['stopping', 'launching', 'loading']));
    expect(s.log_tail.join('\n')).toMatch(/Application startup complete|Ready/);
    expect(s.launch_cmd).toContain('--solo -d exec vllm serve');
    await waitFor(async () => (await loadedModel(c)) === target.served_model_name);
    await waitFor(() => received.find((h) => h.event === 'swap_complete' && h.swap.id === r.body.id));
    const after = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body;
    expect(after.loaded_key).toBe(target.key);
  });

  it('validates the exact argv with vLLM’s parser: ok, and a bad flag with vLLM’s error', async () => {
    const ok = await post<ValidateResponse>(`${c.url}/api/swap/qwen3-30b-a3b/validate`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, stage: 'done', error: null });
    expect(ok.body.cmd_args[0]).toBe('Qwen/Qwen3-30B-A3B-Instruct-2507-FP8');
    const add = await post(`${c.url}/api/models`, {
      key: 'bad-flag',
      display_name: 'Bad flag',
      repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      size_gb: 31,
      mode: 'solo',
      vllm_args: ['--temperature', '0.8'],
    });
    expect(add.status).toBe(201);
    const bad = await post<ValidateResponse>(`${c.url}/api/swap/bad-flag/validate`);
    expect(bad.body).toMatchObject({ ok: false, stage: 'argparse' });
    expect(bad.body.error).toMatch(/unrecognized arguments: --temperature/);
  });

  it('fails a swap with a bad flag, keeping vLLM’s error in the log and reporting vLLM truthfully', async () => {
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'bad-flag' });
    const s = await finished(c, r.body.id);
    expect(s.state).toBe('failed');
    expect(s.error).toMatch(/unrecognized arguments: --temperature 0.8/);
    expect(s.log_tail.join('\n')).toMatch(/vllm: error: unrecognized arguments/);
    await waitFor(() => received.find((h) => h.event === 'swap_failed' && h.swap.id === r.body.id));
    // The old model was stopped before the launch failed: vLLM is idle now, and says so. A
    // snapshot taken while the failing swap still ran says "loading", so wait past those.
    const status = await waitFor(async () => {
      const st = (await getJson<StatusResponse>(`${c.url}/api/status`)).body;
      return st.vllm.model === null && st.vllm.state !== 'loading' ? st : null;
    });
    expect(status.vllm.state).toBe('idle');
    expect(status.vllm.note).toMatch(/idle/);
  });

  it('warns before, and fails at engine init for, a multimodal model without enough batched tokens', async () => {
    await post(`${c.url}/api/models`, {
      key: 'vl-no-batch',
      display_name: 'VL without batched tokens',
      repo: 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8',
      size_gb: 31,
      mode: 'solo',
      capabilities: ['vision'],
    });
    writeHubRepo(c.sim.nodes[0]!.home, 'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8');
    const m = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models.find(
      (x) => x.key === 'vl-no-batch',
    )!;
    expect(m.warnings.map((w) => w.code)).toContain('batched_tokens');
    const v = await post<ValidateResponse>(`${c.url}/api/swap/vl-no-batch/validate`);
    expect(v.body.ok).toBe(true);
    expect(v.body.warnings.map((w) => w.code)).toContain('batched_tokens');
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'vl-no-batch' });
    const s = await finished(c, r.body.id);
    expect(s.state).toBe('failed');
    expect(s.error).toMatch(/max_num_batched_tokens/);
  });

  it('swaps a cluster model across both nodes', async () => {
    const target = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models.find(
      (x) => x.mode === 'cluster',
    )!;
    clusterWeightsEverywhere(c, target.repo);
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: target.key });
    const s = await finished(c, r.body.id, 90_000);
    expect(s.state, s.error ?? '').toBe('ready');
    expect(s.nodes).toEqual(['spark1', 'spark2']);
    expect(s.launch_cmd).toMatch(/-n 127\.0\.0\.1,127\.0\.0\.1 -d exec/);
  });

  it('honours the GPU lock: refuses others with 409 naming the holder, until it expires', async () => {
    const lock = await post<LockResponse>(`${c.url}/api/swap/lock`, {
      holder: 'nightly-batch',
      ttl_s: 2,
      reason: 'eval run',
    });
    expect(lock.status).toBe(200);
    const refused = await post<Err>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/nightly-batch/);
    expect(refused.body.error.message).toMatch(/until/);
    await waitFor(async () => !(await getJson<LockResponse>(`${c.url}/api/swap/lock`)).body.locked, 10_000);
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
    expect(r.status).toBe(200);
    expect((await finished(c, r.body.id)).state).toBe('ready');
  });

  it('re-attaches to a swap that was loading when the control plane restarted', async () => {
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' });
    await waitFor(
      async () => (await getJson<SwapInfo>(`${c.url}/api/swap/${r.body.id}`)).body.state === 'loading',
    );
    await c.restart();
    const s = await finished(c, r.body.id, 90_000);
    expect(s.state, s.error ?? '').toBe('ready');
    expect(s.log_tail.join('\n')).toMatch(/re-attach/i);
    expect((await getJson<SwapInfo>(`${c.url}/api/swap/current`)).body.id).toBe(r.body.id);
  });

  it('cancels a loading swap and leaves no half-loaded engine', async () => {
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
    await waitFor(
      async () => (await getJson<SwapInfo>(`${c.url}/api/swap/${r.body.id}`)).body.state === 'loading',
    );
    const del = await fetch(`${c.url}/api/swap/${r.body.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const s = await finished(c, r.body.id);
    expect(s.state).toBe('cancelled');
    await waitFor(async () => (await loadedModel(c)) === null);
  });

  it('answers bad input with 4xx JSON before anything reaches SSH', async () => {
    expect((await post<Err>(`${c.url}/api/swap`, { key: 'no-such-model' })).status).toBe(404);
    expect((await post<Err>(`${c.url}/api/swap`, { key: 'x; rm -rf ~' })).status).toBe(400);
    expect((await post<Err>(`${c.url}/api/swap`, {})).status).toBe(400);
    expect((await post<Err>(`${c.url}/api/swap/..%2Fetc/validate`)).status).toBe(400);
    expect((await getJson<Err>(`${c.url}/api/swap/nope`)).status).toBe(404);
    const hostile = await post<Err>(`${c.url}/api/models`, {
      key: 'evil',
      display_name: 'x',
      repo: 'a/b;touch /tmp/x',
      size_gb: 1,
      mode: 'solo',
    });
    expect(hostile.status).toBe(400);
  });
});

describe('model swap faults', () => {
  it('fails with a clear reason when a worker node goes down mid-swap', async () => {
    const c = await startTestCluster({ speed: 0.05 });
    try {
      await waitFor(async () => (await loadedModel(c)) !== null);
      const target = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models.find(
        (x) => x.mode === 'cluster',
      )!;
      clusterWeightsEverywhere(c, target.repo);
      const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: target.key });
      await waitFor(
        async () => (await getJson<SwapInfo>(`${c.url}/api/swap/${r.body.id}`)).body.state === 'loading',
      );
      await c.sim.faults.nodeDown('spark2');
      const s = await finished(c, r.body.id);
      expect(s.state).toBe('failed');
      expect(s.error).toMatch(/spark2|NCCL|Ray|worker/i);
    } finally {
      await c.close();
    }
  });
});
