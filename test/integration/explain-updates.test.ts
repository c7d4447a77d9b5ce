// POST /api/explain-updates over the simulated cluster: the launcher's origin gains commits, the
// updates snapshot sees them, and the loaded model (a reasoning model with its parser, switched to
// through the swap engine) explains them as a stream with its thinking apart. No model → 409 before
// any stream; a client that leaves aborts the request on the fake vLLM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusResponse } from '../../src/common/api.js';
import { sseDataSplitter } from '../../src/common/sse-data.js';
import type { ExplainEvent, UpdatesResponse } from '../../src/common/updates-api.js';
import { getJson, startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';
import { finished, post } from './swap-helpers.js';

/** A catalog model launched with --reasoning-parser (assets/models.yaml). */
const REASONING_KEY = 'gpt-oss-120b';

const explain = (c: TestCluster, init: RequestInit = {}) =>
  fetch(`${c.url}/api/explain-updates`, { method: 'POST', ...init });

async function events(res: Response): Promise<ExplainEvent[]> {
  const split = sseDataSplitter();
  return [...split.push(await res.text()), ...split.end()].map((d) => JSON.parse(d) as ExplainEvent);
}

const vllmState = async (c: TestCluster) =>
  (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.state;

describe('explain updates', () => {
  let c: TestCluster;
  let newest: string;
  beforeAll(async () => {
    c = await startTestCluster();
    c.sim.faults.launcherCommit('Build: bump vLLM to the nightly of 2026-11-30');
    newest = c.sim.faults.launcherCommit('launch-cluster.sh: add --solo for one-node models');
    const checked = await post<UpdatesResponse>(`${c.url}/api/updates/check`);
    expect(checked.body.behind).toBe(2);
    const swap = await post<{ id: string }>(`${c.url}/api/swap`, { key: REASONING_KEY });
    expect(swap.body.id).toBeTruthy();
    expect((await finished(c, swap.body.id)).state).toBe('ready');
    await waitFor(async () => (await vllmState(c)) === 'loaded');
  });
  afterAll(async () => c?.close());

  it("streams the loaded model's answer about the pending commits, thinking apart", async () => {
    const res = await explain(c);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const all = await events(res);
    expect(all[0]).toMatchObject({ type: 'start', commits: 2 });
    expect(all.at(-1)).toEqual({ type: 'done' });
    const kinds = all.slice(1, -1).map((e) => e.type);
    const firstContent = kinds.indexOf('content');
    expect(firstContent).toBeGreaterThan(0);
    expect(kinds.slice(0, firstContent).every((k) => k === 'reasoning')).toBe(true);
    expect(kinds.slice(firstContent).every((k) => k === 'content')).toBe(true);
    const answer = all.flatMap((e) => (e.type === 'content' ? [e.text] : [])).join('');
    // The fake vLLM echoes the start of the prompt: the newest pending commit reached the model.
    expect(answer).toMatch(/2 commits behind/);
    expect(answer).toContain(`- ${newest.slice(0, 12)} `);
  });

  it('a client that leaves aborts the request on vLLM', async () => {
    c.sim.faults.vllmTokenDelay(200);
    try {
      const succeeded = await vllmMetric(c, 'vllm:request_success_total');
      const ctrl = new AbortController();
      const res = await explain(c, { signal: ctrl.signal });
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 1, 10_000, 20);
      ctrl.abort();
      // At 200 ms a token the answer would run for many seconds more; the running count drops now.
      await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 0, 8_000, 20);
      expect(await vllmMetric(c, 'vllm:request_success_total')).toBe(succeeded);
    } finally {
      c.sim.faults.vllmTokenDelay(null);
    }
  });

  it('no model loaded → 409 JSON before any stream byte', async () => {
    c.sim.faults.vllmDown();
    try {
      await waitFor(async () => (await vllmState(c)) === 'idle');
      const res = await explain(c);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/No model is loaded/),
      });
    } finally {
      c.sim.faults.vllmUp();
    }
  });

  it('a foreign page cannot ask (same-origin guard)', async () => {
    const res = await explain(c, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });
});
