// Cancel in each phase of a swap: the swap and its job end `cancelled` (the SSE `end` says so),
// exactly one stop ran (none before anything was touched), and the locks are free at once — a new
// swap starts right after. The head's SSH latency fault stretches each phase so it can be hit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, SwapInfo } from '../../src/common/api.js';
import { getJson, type TestCluster } from '../helpers/harness.js';
import { finished, inState, post, stopsSince, streamEnd, startServingCluster } from './swap-helpers.js';

describe('cancelling a swap', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServingCluster();
  });
  afterAll(async () => {
    await c?.close();
  });

  it.each<[SwapInfo['state'], number, number]>([
    // phase, head latency (ms), stops expected: the running stop is the one stop; before any
    // stop ran nothing is stopped; after it, the cancel stops the half-launched engine once.
    ['pending', 1500, 0],
    ['stopping', 1500, 1],
    ['launching', 1500, 2],
    ['loading', 0, 2],
  ])(
    'in %s: swap and job cancelled, exactly the expected stops, locks free',
    async (phase, latency, stops) => {
      const since = new Date().toISOString();
      c.sim.faults.setLatency('spark1', latency);
      const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' });
      expect(r.status).toBe(200);
      const end = streamEnd(c, r.body.id);
      await inState(c, r.body.id, phase);
      const del = await fetch(`${c.url}/api/swap/${r.body.id}`, { method: 'DELETE' });
      expect(del.status).toBe(200);
      const endJob = await end;
      expect(endJob.state).toBe('cancelled');
      // Right after the end event: the job is cancelled and its locks are free for the next swap.
      const next = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
      expect(next.status).toBe(200);
      const s = await finished(c, r.body.id);
      expect(s.state).toBe('cancelled');
      expect(s.error).toBe('Cancelled by request');
      expect((await getJson<JobInfo>(`${c.url}/api/jobs/${r.body.id}`)).body.state).toBe('cancelled');
      const ofNext = await stopsOfNext(next.body.id);
      expect(stopsSince(c, since) - ofNext).toBe(stops);
    },
  );

  /** The follow-up swap runs its own stop; wait for it to end so it counts and the next case starts clean. */
  async function stopsOfNext(id: string): Promise<number> {
    c.sim.faults.setLatency('spark1', 0);
    const s = await finished(c, id);
    expect(s.state, s.error ?? '').toBe('ready');
    return 1;
  }
});
