// Launcher updates (SPEC §13, issue 12 items 5–6) over the real simulator: the snapshot's counts
// and pending commits, a dirty tree refused before any job, racing applies, an update that pulls,
// builds and copies (new image on both Sparks, the old one kept), rollbacks of a good and of a
// broken build, and swaps and updates excluding each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, StatusResponse } from '../../src/common/api.js';
import {
  LAUNCHER_LOCK,
  ROLLBACK_JOB_KIND,
  UPDATE_JOB_KIND,
  type UpdateStarted,
} from '../../src/common/updates-api.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { apply, commits, ended, imageIds, logTail, post, updates, type Err } from './updates-helpers.js';

const SLOW = 120_000;
let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ speed: 0.05 });
  await waitFor(async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body.vllm.model !== null);
}, SLOW);
afterAll(async () => c?.close());

describe('launcher updates', () => {
  it('GET /api/updates: current commit and branch; behind and the pending commits after upstream commits', async () => {
    const first = await waitFor(async () => {
      const u = await updates(c);
      return u.checked_at ? u : null;
    });
    expect(first).toMatchObject({ ok: true, behind: 0, ahead: 0, dirty: false, branch: 'main', log: [] });
    expect(first.current).toBe(commits(c).head.slice(0, 7));
    expect(first.last).toBeNull();
    expect(first.rollback_available).toBe(false);
    // The launcher module's capability cache, read at start for the head's commit.
    const caps = await waitFor(async () => (await updates(c)).capabilities);
    expect(caps).toMatchObject({ commit: commits(c).head, daemon: true, exec: true });
    const a = c.sim.faults.launcherCommit('Fix NCCL interface detection');
    const b = c.sim.faults.launcherCommit('Build: pin the triton wheel');
    const checked = await post<Awaited<ReturnType<typeof updates>>>(c, '/api/updates/check');
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ ok: true, behind: 2, ahead: 0, checking: false });
    expect(checked.body.log.map((x) => [x.sha, x.subject])).toEqual([
      [b, 'Build: pin the triton wheel'],
      [a, 'Fix NCCL interface detection'],
    ]);
    expect(checked.body.log[0]!.author).toBe('spark-vllm-docker maintainers');
    expect((await updates(c)).behind).toBe(2);
  });

  it('a dirty tree is refused with 409 naming the files, before any job; nothing changes', async () => {
    const before = commits(c).head;
    c.sim.faults.dirtyLauncher(true);
    try {
      const r = await apply(c);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/uncommitted changes \(launch-cluster\.sh\)/);
      const jobs = (await getJson<JobInfo[]>(`${c.url}/api/jobs?kind=${UPDATE_JOB_KIND}`)).body;
      expect(jobs).toEqual([]);
      expect((await updates(c)).last).toBeNull();
      const check = await post<Awaited<ReturnType<typeof updates>>>(c, '/api/updates/check');
      expect(check.body.dirty).toBe(true);
    } finally {
      c.sim.faults.dirtyLauncher(false);
    }
    expect(commits(c).head).toBe(before);
  });

  it('bad input: an unknown smoke model is 404 and a malformed one 400, before any job', async () => {
    expect((await apply(c, { smoke_model: 'no-such-model' })).status).toBe(404);
    expect((await apply(c, { smoke_model: 'Bad Key;' })).status).toBe(400);
    expect((await apply(c, { other: 1 })).status).toBe(400);
    expect((await post<Err>(c, '/api/updates/rollback')).status).toBe(409); // nothing to roll back yet
  });

  it(
    'racing applies: one 202, one 409; swaps are refused while it runs; it pulls, builds and copies in phase order',
    async () => {
      const oldImages = await imageIds(c);
      const from = commits(c).head;
      // One with `{}`, one with no body at all (curl -X POST): both mean "no smoke test".
      const [r1, r2] = await Promise.all([apply(c), post<UpdateStarted & Err>(c, '/api/updates/apply')]);
      expect([r1.status, r2.status].sort()).toEqual([202, 409]);
      const won = r1.status === 202 ? r1.body : r2.body;
      const lost = r1.status === 202 ? r2.body : r1.body;
      expect(lost.error.code).toBe('CONFLICT');
      expect(lost.error.message).toMatch(/launcher update is running/);
      expect(won.job_id).toBe(won.id);

      const swap = await post<Err>(c, '/api/swap', { key: 'qwen3.6-35b-a3b' });
      expect(swap.status).toBe(409);
      expect(swap.body.error.message).toMatch(/launcher update is running/i);
      const holder = (await getJson<JobInfo>(`${c.url}/api/jobs/${won.job_id}`)).body;
      expect(holder.locks).toEqual(
        expect.arrayContaining([LAUNCHER_LOCK, 'gpu', 'node:spark1', 'node:spark2']),
      );

      const { job, record } = await ended(c, won.job_id, SLOW);
      expect(job.state).toBe('succeeded');
      expect(record).toMatchObject({
        kind: 'update',
        state: 'succeeded',
        phase: 'done',
        from_commit: from,
        to_commit: commits(c).origin,
        rollback_image: 'vllm-node:rollback',
        smoke_result: 'skipped',
        error: null,
      });
      expect(Object.keys(record.timings)).toEqual(['preparing', 'pulling', 'building', 'copying']);
      expect(commits(c).head).toBe(commits(c).origin);
      const newImages = await imageIds(c);
      expect(newImages[0]).toMatch(/^sha256:/);
      expect(newImages[1]).toBe(newImages[0]);
      expect(newImages[0]).not.toBe(oldImages[0]);
      expect(await imageIds(c, 'vllm-node:rollback')).toEqual(oldImages);
      const after = await updates(c);
      expect(after).toMatchObject({ behind: 0, rollback_available: true });
      // The capability cache is re-read for the new commit once the update ends.
      await waitFor(async () => (await updates(c)).capabilities?.commit === commits(c).origin);
      expect(await logTail(c, won.job_id)).toMatch(/Copy to spark2 completed/);
    },
    SLOW,
  );

  it(
    'rollback restores the previous commit and the previous image on every node',
    async () => {
      const update = (await updates(c)).last!;
      const oldImages = await imageIds(c, 'vllm-node:rollback');
      const r = await post<{ id: string; job_id: string }>(c, '/api/updates/rollback');
      expect(r.status).toBe(202);
      const { job, record } = await ended(c, r.body.job_id, SLOW);
      expect(job.kind).toBe(ROLLBACK_JOB_KIND);
      expect(job.state).toBe('succeeded');
      expect(record).toMatchObject({
        kind: 'rollback',
        state: 'succeeded',
        phase: 'done',
        to_commit: update.from_commit,
      });
      expect(commits(c).head).toBe(update.from_commit);
      expect(await imageIds(c)).toEqual(oldImages);
      expect((await updates(c)).rollback_available).toBe(false);
    },
    SLOW,
  );

  it(
    'a broken build fails in phase building with the build’s error; rollback puts the commit back',
    async () => {
      const images = await imageIds(c);
      const from = commits(c).head;
      c.sim.faults.launcherBuildFault(true);
      try {
        const r = await apply(c);
        expect(r.status).toBe(202);
        const { job, record } = await ended(c, r.body.job_id, SLOW);
        expect(job.state).toBe('failed');
        expect(job.error).toMatch(/build-and-copy\.sh failed \(exit 1\): ERROR: failed to solve/);
        expect(record).toMatchObject({ state: 'failed', phase: 'building', to_commit: commits(c).origin });
        expect(record.error).toBe(job.error);
        expect(commits(c).head).toBe(commits(c).origin);
        const u = await updates(c);
        expect(u.rollback_available).toBe(true);
      } finally {
        c.sim.faults.launcherBuildFault(false);
      }
      const rb = await post<{ job_id: string }>(c, '/api/updates/rollback');
      expect(rb.status).toBe(202);
      expect((await ended(c, rb.body.job_id, SLOW)).job.state).toBe('succeeded');
      expect(commits(c).head).toBe(from);
      expect(await imageIds(c)).toEqual(images);
    },
    SLOW,
  );

  it(
    'an update is refused while a swap runs (409 naming the swap)',
    async () => {
      const s = await post<{ id: string }>(c, '/api/swap', { key: 'qwen3.6-35b-a3b' });
      expect(s.status).toBe(200);
      const r = await apply(c);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/model swap/i);
      await waitFor(async () => {
        const j = await getJson<JobInfo>(`${c.url}/api/jobs/${s.body.id}`);
        return j.body.state !== 'running';
      }, SLOW);
      expect((await updates(c)).last?.kind).toBe('rollback'); // the refused apply left no record
    },
    SLOW,
  );
});
