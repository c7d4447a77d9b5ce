// Launcher updates with a smoke test (issue 12 item 6), cancel and a control-plane restart, over the
// real simulator: the smoke model is launched inside the update's job (which already holds the GPU
// and the nodes), the model loaded before comes back; a model that cannot start fails the update in
// phase smoke_test; cancel kills build-and-copy.sh on the head; a restart mid-build is `interrupted`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusResponse, SwapInfo } from '../../src/common/api.js';
import { sh } from '../../src/server/platform/remote/sh.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { apply, buildProcesses, commits, ended, inPhase, job, post, updates } from './updates-helpers.js';

const SLOW = 180_000;
let c: TestCluster;
const loaded = async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model;

beforeAll(async () => {
  c = await startTestCluster({ speed: 0.05 });
  await waitFor(async () => (await loaded()) !== null);
  await post(c, '/api/models', {
    key: 'bad-flag',
    display_name: 'Bad flag',
    repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
    size_gb: 31,
    mode: 'solo',
    vllm_args: ['--temperature', '0.8'],
  });
}, SLOW);
afterAll(async () => c?.close());

describe('launcher update smoke test, cancel, restart', () => {
  it(
    'smoke test passes: the chosen model serves with the new image, then the model loaded before is back',
    async () => {
      const before = await loaded();
      c.sim.faults.launcherCommit('Bump vLLM');
      const r = await apply(c, { smoke_model: 'qwen3.6-35b-a3b' });
      expect(r.status).toBe(202);
      await inPhase(c, 'smoke_test');
      const smokeSwap = await waitFor(async () => {
        const s = (await getJson<SwapInfo | null>(`${c.url}/api/swap/current`)).body;
        return s?.key === 'qwen3.6-35b-a3b' ? s : null;
      });
      const { job: j, record } = await ended(c, r.body.job_id, SLOW);
      expect(j.state).toBe('succeeded');
      expect(record).toMatchObject({
        state: 'succeeded',
        smoke_model: 'qwen3.6-35b-a3b',
        smoke_result: 'passed',
      });
      expect(Object.keys(record.timings)).toEqual([
        'preparing',
        'pulling',
        'building',
        'copying',
        'smoke_test',
        'restoring',
      ]);
      expect((await getJson<SwapInfo>(`${c.url}/api/swap/${smokeSwap.id}`)).body.state).toBe('ready');
      await waitFor(async () => (await loaded()) === before);
      const restored = (await getJson<SwapInfo>(`${c.url}/api/swap/current`)).body;
      expect(restored).toMatchObject({ key: 'qwen3-30b-a3b', state: 'ready' });
      expect(restored.id).not.toBe(smokeSwap.id);
    },
    SLOW,
  );

  it(
    'smoke test fails for a model that cannot start: failed in smoke_test with vLLM’s error; rollback offered',
    async () => {
      c.sim.faults.launcherCommit('Break something');
      const r = await apply(c, { smoke_model: 'bad-flag' });
      expect(r.status).toBe(202);
      const { job: j, record } = await ended(c, r.body.job_id, SLOW);
      expect(j.state).toBe('failed');
      expect(record).toMatchObject({ state: 'failed', phase: 'smoke_test', smoke_result: 'failed' });
      expect(record.error).toMatch(
        /Smoke test failed: bad-flag did not become ready: .*unrecognized arguments/,
      );
      expect((await updates(c)).rollback_available).toBe(true);
    },
    SLOW,
  );

  it(
    'cancel during building kills build-and-copy.sh on the head; the record says cancelled in building',
    async () => {
      c.sim.faults.launcherCommit('Another one');
      const image = (await c.transport.exec('spark1', sh`docker image inspect -f '{{.Id}}' vllm-node`))
        .stdout;
      const r = await apply(c);
      expect(r.status).toBe(202);
      await inPhase(c, 'building');
      await waitFor(() => buildProcesses(c).length > 0, 20_000, 20);
      const del = await getJson(`${c.url}/api/jobs/${r.body.job_id}`, { method: 'DELETE' });
      expect(del.status).toBeLessThan(300);
      const { job: j, record } = await ended(c, r.body.job_id, SLOW);
      expect(j.state).toBe('cancelled');
      expect(record).toMatchObject({ state: 'cancelled', phase: 'building' });
      await waitFor(() => buildProcesses(c).length === 0, 10_000);
      expect((await c.transport.exec('spark1', sh`docker image inspect -f '{{.Id}}' vllm-node`)).stdout).toBe(
        image,
      );
    },
    SLOW,
  );

  it(
    'a control-plane restart during the build leaves the update interrupted, and the next apply can run',
    async () => {
      c.sim.faults.launcherCommit('Yet another');
      const r = await apply(c);
      expect(r.status).toBe(202);
      await inPhase(c, 'building');
      await c.restart();
      const u = await updates(c);
      expect(u.last).toMatchObject({ id: r.body.id, state: 'interrupted', phase: 'building' });
      expect(u.last!.error).toMatch(/restarted during the update/);
      expect((await job(c, r.body.job_id)).state).toBe('interrupted');
      expect(u.rollback_available).toBe(true);
      await waitFor(() => buildProcesses(c).length === 0, 30_000);
      const again = await apply(c);
      expect(again.status).toBe(202);
      expect((await ended(c, again.body.job_id, SLOW)).job.state).toBe('succeeded');
      expect(commits(c).head).toBe(commits(c).origin);
    },
    SLOW,
  );
});
