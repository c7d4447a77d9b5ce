// Placement-aware swaps (issue 12 item 4) over the real simulator: a swap (and pre-flight) is
// refused with a 409 before anything stops when a node the model runs on lacks its weights, and
// allowed once a download put them there; a node that cannot be asked is never taken for "missing"
// or "present". The simulator starts with the demo's weights: the cluster model is not on spark2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, ValidateResponse } from '../../src/common/api.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { finished, post, stopsSince } from './swap-helpers.js';

type Refusal = { error: { code: string; message: string; details: Record<string, unknown> } };
const BIG = 'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4';
const SERVING = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';
const TINY = 'acme/Placement-1B';

describe('placement-aware swaps', () => {
  let c: TestCluster;
  const served = async () =>
    ((await (await fetch(`${c.sim.vllm.url}/v1/models`)).json()) as { data: { id: string }[] }).data.map(
      (m) => m.id,
    );
  const swapRows = () => (c.db.prepare('SELECT COUNT(*) AS n FROM swaps').get() as { n: number }).n;

  beforeAll(async () => {
    // Samplers off: no hardware probe marks a slow node down first, so the weights check itself
    // meets the node that cannot answer (and its fresh look gives up after 1.5 s).
    c = await startTestCluster({ speed: 0.03, startSamplers: false, timings: { diskProbeTimeoutMs: 1500 } });
    expect(await served()).toEqual([SERVING]);
  });
  afterAll(async () => c?.close());

  it('refuses a cluster model missing on one node before anything stops; vLLM keeps serving', async () => {
    const since = new Date().toISOString();
    const r = await post<Refusal>(`${c.url}/api/swap`, { key: 'qwen3-235b-a22b' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CONFLICT');
    expect(r.body.error.details).toMatchObject({ code: 'weights_missing', repo: BIG, nodes: ['spark2'] });
    expect(r.body.error.message).toMatch(/not on spark2 .*download them to spark2 first/);
    expect(swapRows()).toBe(0);
    expect(stopsSince(c, since)).toBe(0);
    expect(await served()).toEqual([SERVING]);

    const v = await post<ValidateResponse>(`${c.url}/api/swap/qwen3-235b-a22b/validate`);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ ok: false, stage: 'placement', error: r.body.error.message });
    expect(v.body.refusal).toMatchObject({ code: 'weights_missing', details: { nodes: ['spark2'] } });
  });

  it('refuses a solo model missing on the head, then swaps to it once the download completed', async () => {
    const add = await post(`${c.url}/api/models`, {
      key: 'placement-tiny',
      display_name: 'Placement tiny',
      repo: TINY,
      size_gb: 2,
      mode: 'solo',
    });
    expect(add.status).toBe(201);
    const refused = await post<Refusal>(`${c.url}/api/swap`, { key: 'placement-tiny' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({
      code: 'weights_missing',
      repo: TINY,
      nodes: ['spark1'],
    });
    const pre = await post<ValidateResponse>(`${c.url}/api/swap/placement-tiny/validate`);
    expect(pre.body).toMatchObject({ ok: false, stage: 'placement' });

    const dl = await post<{ job_id: string }>(`${c.url}/api/download`, { repo: TINY, nodes: ['spark1'] });
    expect(dl.status).toBeLessThan(300);
    const job = await waitFor(async () => {
      const j = (await getJson<JobInfo>(`${c.url}/api/jobs/${dl.body.job_id}`)).body;
      return j.state === 'running' ? null : j;
    }, 60_000);
    expect(job.state, job.error ?? '').toBe('succeeded');

    expect((await post<ValidateResponse>(`${c.url}/api/swap/placement-tiny/validate`)).body).toMatchObject({
      ok: true,
      stage: 'done',
    });
    // Two swaps at once: both pass the weights check, the locks let exactly one through.
    const [a, b] = await Promise.all([
      post<{ id: string } | Refusal>(`${c.url}/api/swap`, { key: 'placement-tiny' }),
      post<{ id: string } | Refusal>(`${c.url}/api/swap`, { key: 'placement-tiny' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = (a.status === 200 ? a : b).body as { id: string };
    const s = await finished(c, won.id);
    expect(s.state, s.error ?? '').toBe('ready');
    expect(await served()).toEqual([TINY]);
  });

  it('refuses a model right after its weights were deleted through the API (the delete refreshes what the check reads)', async () => {
    const del = await getJson<{ freed_bytes: number }>(`${c.url}/api/models/gpt-oss-120b/disk`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(200);
    expect(del.body.freed_bytes).toBeGreaterThan(60e9);
    const r = await post<Refusal>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' });
    expect(r.status).toBe(409);
    expect(r.body.error.details).toMatchObject({ code: 'weights_missing', nodes: ['spark1'] });
    expect(await served()).toEqual([TINY]);
  });

  it('says weights_unknown when a node the model needs cannot be asked, in the swap and in pre-flight', async () => {
    c.sim.faults.setLatency('spark2', 20_000);
    try {
      const since = new Date().toISOString();
      const r = await post<Refusal>(`${c.url}/api/swap`, { key: 'qwen3-235b-a22b' });
      expect(r.status).toBe(409);
      expect(r.body.error.details).toMatchObject({ code: 'weights_unknown', nodes: ['spark2'] });
      expect(r.body.error.message).toMatch(/spark2 could not be asked/);
      expect(stopsSince(c, since)).toBe(0);
      const v = await post<ValidateResponse>(`${c.url}/api/swap/qwen3-235b-a22b/validate`);
      expect(v.body).toMatchObject({ ok: false, stage: 'placement' });
      expect(v.body.refusal?.code).toBe('weights_unknown');
      expect(await served()).toEqual([TINY]);
    } finally {
      c.sim.faults.setLatency('spark2', 0);
    }
  });
});
