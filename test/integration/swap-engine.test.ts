// Swap outcomes the engine decides: an engine that dies of an error nobody predicted, a local
// model that is not on the Spark (refused before anything stops), two swaps racing, the GPU lock expiring mid-swap, and a head
// node known to be down (pre-flight and start answer at once instead of waiting for a timeout).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareSnapshot, LockResponse } from '../../src/common/api.js';
import { getJson, waitFor, WATCHING_HARDWARE, type TestCluster } from '../helpers/harness.js';
import { finished, inState, post, stopsSince, type Err, startServingCluster } from './swap-helpers.js';

describe('swap outcomes decided by the engine', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServingCluster({ timings: WATCHING_HARDWARE });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('fails with the engine’s own words when it dies of an error nobody predicted', async () => {
    const text = `zq-${randomBytes(6).toString('hex')}: the flux capacitor melted`;
    const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' });
    await inState(c, r.body.id, 'loading');
    await waitFor(() => c.sim.faults.vllmDie(text), 15_000, 20);
    const s = await finished(c, r.body.id);
    expect(s.state).toBe('failed');
    expect(s.error).toContain(text);
    expect(s.error).toMatch(/vLLM exited while the model was loading/);
  });

  it('refuses a local-path model that is not on the Spark before anything stops', async () => {
    // vLLM would fail it at launch ("Invalid repository ID or local directory"); the placement
    // check probes the path on the head first, so the served model is never stopped for it.
    const add = await post(`${c.url}/api/models`, {
      key: 'not-here',
      display_name: 'Not on the Spark',
      path: '~/models/not-here',
      size_gb: 8,
      mode: 'solo',
    });
    expect(add.status).toBe(201);
    const since = new Date().toISOString();
    const r = await post<Err & { error: { details: { code: string; nodes: string[] } } }>(
      `${c.url}/api/swap`,
      { key: 'not-here' },
    );
    expect(r.status).toBe(409);
    expect(r.body.error.details).toMatchObject({ code: 'weights_missing', nodes: ['spark1'] });
    expect(stopsSince(c, since)).toBe(0);
  });

  it('lets exactly one of two racing swaps start, and stores only that one', async () => {
    const since = Date.now();
    const [a, b] = await Promise.all([
      post<{ id: string } | Err>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' }),
      post<{ id: string } | Err>(`${c.url}/api/swap`, { key: 'gpt-oss-120b' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = (a.status === 200 ? a.body : b.body) as { id: string };
    const rows = c.db.prepare('SELECT id FROM swaps WHERE started_at >= ?').all(since) as { id: string }[];
    expect(rows.map((x) => x.id)).toEqual([won.id]);
    expect((await finished(c, won.id)).state).toBe('ready');
  });

  it('keeps a swap running when its GPU lock expires, and still refuses others until it ends', async () => {
    const lock = await post<LockResponse>(`${c.url}/api/swap/lock`, { holder: 'sched-x', ttl_s: 1 });
    expect(lock.status).toBe(200);
    c.sim.faults.setLatency('spark1', 800); // every step waits: the swap outlives the lock
    try {
      const r = await post<{ id: string }>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b', holder: 'sched-x' });
      expect(r.status).toBe(200);
      await waitFor(async () => !(await getJson<LockResponse>(`${c.url}/api/swap/lock`)).body.locked, 10_000);
      const other = await post<Err>(`${c.url}/api/swap`, { key: 'gpt-oss-120b', holder: 'sched-y' });
      expect(other.status).toBe(409);
      expect(other.body.error.message).toMatch(/model swap/);
      expect(['pending', 'stopping', 'launching', 'loading']).toContain(
        (await getJson<{ state: string }>(`${c.url}/api/swap/${r.body.id}`)).body.state,
      );
      c.sim.faults.setLatency('spark1', 0);
      const s = await finished(c, r.body.id);
      expect(s.state, s.error ?? '').toBe('ready');
    } finally {
      c.sim.faults.setLatency('spark1', 0);
    }
  });

  it('answers pre-flight and start at once with 503 while the head node is known to be down', async () => {
    await c.sim.faults.nodeDown('spark1');
    try {
      await waitFor(async () => {
        const hw = (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;
        return hw.spark1 && !hw.spark1.ok;
      });
      const v = await post<Err>(`${c.url}/api/swap/qwen3-30b-a3b/validate`);
      expect(v.status).toBe(503);
      expect(v.body.error).toMatchObject({ code: 'NODE_UNREACHABLE' });
      expect(v.body.error.message).toMatch(/spark1/);
      const since = Date.now();
      const s = await post<Err>(`${c.url}/api/swap`, { key: 'qwen3-30b-a3b' });
      expect(s.status).toBe(503);
      expect(c.db.prepare('SELECT id FROM swaps WHERE started_at >= ?').all(since)).toEqual([]);
    } finally {
      await c.sim.faults.nodeUp('spark1');
    }
  });
});
