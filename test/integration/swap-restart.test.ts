// A control-plane restart in each phase of a swap, with the simulator in its own process so the
// Sparks' containers and vLLM keep going while the control plane is away (as on real hardware).
// Whatever the phase, the swap must end (never hang holding the GPU lock), say truthfully what
// happened, and leave the cluster able to swap again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, StatusResponse } from '../../src/common/api.js';
import { getJson, waitFor } from '../helpers/harness.js';
import { startSplitCluster, type SplitCluster } from '../helpers/split-cluster.js';
import { finished, post, swapInfo as swapOf } from './swap-helpers.js';

const served = async (c: SplitCluster) => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm;

/** After any restart outcome the cluster must take a new swap and finish it. */
async function swapsAgain(c: SplitCluster, key: string): Promise<void> {
  const r = await waitFor(async () => {
    const res = await post<{ id: string }>(`${c.url}/api/swap`, { key });
    return res.status === 200 ? res.body : null;
  }, 20_000);
  const s = await finished(c, r.id);
  expect(s.state, s.error ?? '').toBe('ready');
  await waitFor(async () => (await served(c)).model === s.model);
}

describe('control-plane restart during a swap (simulator in its own process)', () => {
  let c: SplitCluster;

  beforeAll(async () => {
    c = await startSplitCluster({ speed: 0.05 });
    await waitFor(async () => (await served(c)).state === 'loaded', 30_000);
  });
  afterAll(async () => {
    await c?.close();
  });

  // Every command on the head starts 1.5 s late, so the swap is still in the phase when we restart.
  for (const phase of ['stopping', 'launching'] as const) {
    it(`ends a swap interrupted while ${phase} and frees the GPU`, async () => {
      await c.sim.fault('/nodes/spark1/latency', { ms: 1500 });
      const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
      expect(r.status).toBe(200);
      await waitFor(async () => (await swapOf(c, r.body.id)).state === phase, 20_000, 20);
      await c.restart();
      await c.sim.fault('/nodes/spark1/latency', { ms: 0 });
      const s = await finished(c, r.body.id);
      // Either the work went on without us and the re-attached swap saw it through, or the swap
      // says why it stopped; never a swap that still claims to be running.
      if (s.state === 'ready') expect((await served(c)).model).toBe(s.model);
      else expect(s.error).toMatch(new RegExp(`restarted while the swap was ${phase}`));
      const job = (await getJson<JobInfo>(`${c.url}/api/jobs/${r.body.id}`)).body;
      expect(job.state).not.toBe('running');
      await swapsAgain(c, 'gemma4-26b-a4b');
    });
  }

  it('re-attaches to a swap that was loading and sees it through', async () => {
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' });
    await waitFor(async () => (await swapOf(c, r.body.id)).state === 'loading', 20_000, 20);
    await c.restart();
    const s = await finished(c, r.body.id);
    expect(s.state, s.error ?? '').toBe('ready');
    expect(s.log_tail.join('\n')).toMatch(/re-attach/i);
    const job = (await getJson<JobInfo>(`${c.url}/api/jobs/${r.body.id}`)).body;
    expect(job.state).toBe('succeeded');
    await waitFor(async () => (await served(c)).model === s.model);
  });
});
