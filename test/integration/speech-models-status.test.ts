// Speech-model patches on the simulator over real SSH: status, drift after an image upgrade,
// reapply back in sync (one restart, health polled), restore, racing reapplies, a node down.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';
import {
  APP,
  byName,
  type Err,
  OVERLAY,
  post,
  ran,
  type Result,
  sha256File,
  status,
} from './speech-models-helpers.js';

let c: TestCluster;
const shipped = readdirSync(OVERLAY)
  .filter((f) => f.endsWith('.py'))
  .sort();

beforeAll(async () => {
  c = await startTestCluster({ speed: 0.05, timings: WATCHING_HARDWARE });
});
afterAll(async () => c?.close());

// A reapply runs a dozen docker execs on a shared 2-core machine: give each test room (no timing is asserted).
describe('speech-model patches', { timeout: 150_000 }, () => {
  it('starts in sync: every shipped file, its sha256 in the container, and the models loaded', async () => {
    const s = await status(c);
    expect(s.error).toBeNull();
    expect(s).toMatchObject({ service: 'parakeet', container: 'parakeet-asr', node: 'spark2' });
    expect(s.files.map((f) => f.path)).toEqual(shipped.map((f) => `${APP}/${f}`));
    for (const f of s.files) {
      const name = f.path.slice(APP.length + 1);
      expect(f).toEqual({
        path: f.path,
        shipped_sha256: sha256File(`${OVERLAY}/${name}`),
        container_sha256: f.shipped_sha256,
        status: 'in_sync',
      });
    }
    expect(s.models).toEqual([
      'nvidia/parakeet-tdt-0.6b-v2',
      'nvidia/diar_sortformer_4spk-v1',
      'nvidia/speakerverification_en_titanet_large',
    ]);
    expect(s.checked_at).not.toBeNull();
  });

  it('an image upgrade shows drift and missing; reapply backs up, copies, compiles, restarts once, polls health', async () => {
    c.sim.faults.parakeetUpgrade(true);
    const drifted = byName(await status(c));
    expect(drifted['main.py']?.status).toBe('drift');
    expect(drifted['diarizer.py']).toMatchObject({ status: 'missing', container_sha256: null });
    expect(drifted['diarize_core.py']?.status).toBe('in_sync');

    const restartsBefore = ran(c, /docker restart parakeet-asr/).length;
    const r = await post<Result>(c, 'reapply?wait=1');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.job).toMatchObject({
      kind: 'patch-reapply',
      state: 'succeeded',
      locks: ['container:spark2:parakeet-asr'],
    });
    expect(r.body.steps.map((s) => [s.step, s.ok])).toEqual([
      ['check', true],
      ['backup', true],
      ['copy', true],
      ['verify', true],
      ['py_compile', true],
      ['restart', true],
      ['health', true],
    ]);
    expect(r.body.steps[0]?.detail).toMatch(/drift.*missing/);
    expect(r.body.steps[6]?.detail).toMatch(/^healthy after [\d.]+ s; models: nvidia\/parakeet-tdt-0.6b-v2/);
    expect(ran(c, /docker restart parakeet-asr/).length - restartsBefore).toBe(1);
    // File content travelled on stdin, never on a command line.
    expect(ran(c, /def diarize_chunk|import diarize_core/)).toEqual([]);

    const after = await status(c);
    expect(after.files.every((f) => f.status === 'in_sync')).toBe(true);
    // The job's steps are kept (GET by id answers the same result).
    const again = await getJson<Result>(`${c.url}/api/speech-models/jobs/${r.body.job.id}`);
    expect(again.body.steps).toEqual(r.body.steps);
  });

  it('restore puts back the files the container had before the first reapply', async () => {
    const r = await post<Result>(c, 'restore?wait=1');
    expect(r.body.ok).toBe(true);
    expect(r.body.steps.map((s) => s.step)).toEqual(['check', 'restore', 'restart', 'health']);
    const files = byName(await status(c));
    expect(files['main.py']?.status).toBe('drift');
    expect(files['diarizer.py']?.status).toBe('missing');
    expect(files['diarize_core.py']?.status).toBe('in_sync');
  });

  it('a reapply racing another is refused with 409 naming the job; the first completes', async () => {
    const [a, b] = await Promise.all([
      post<{ job_id: string; job: JobInfo } | Err>(c, 'reapply'),
      post<{ job_id: string; job: JobInfo } | Err>(c, 'reapply'),
    ]);
    const codes = [a.status, b.status].sort();
    expect(codes).toEqual([202, 409]);
    const accepted = (a.status === 202 ? a.body : b.body) as { job_id: string };
    const refused = (a.status === 409 ? a.body : b.body) as Err;
    expect(refused.error.code).toBe('CONFLICT');
    expect(refused.error.message).toContain(accepted.job_id);
    // While it runs, a restart of the same container is refused too, and the status names the job.
    const restart = await post<Err>(c, 'restart');
    expect(restart.status).toBe(409);
    expect(restart.body.error.message).toContain(accepted.job_id);
    const during = await getJson<{ job: JobInfo | null }>(`${c.url}/api/speech-models`);
    expect(during.body.job?.id).toBe(accepted.job_id);
    const done = await waitFor(async () => {
      const r = (await getJson<Result>(`${c.url}/api/speech-models/jobs/${accepted.job_id}`)).body;
      return r.job.state !== 'running' ? r : null;
    }, 60_000);
    expect(done.ok).toBe(true);
    expect((await status(c)).files.every((f) => f.status === 'in_sync')).toBe(true);
  });

  it('node down: status carries the error and no files, and nothing is attempted', async () => {
    await c.sim.faults.nodeDown('spark2');
    try {
      const s = await status(c);
      expect(s.error).toMatch(/spark2/);
      expect(s.files).toEqual([]);
      expect(s.models).toEqual([]);
      const jobsBefore = (await getJson<JobInfo[]>(`${c.url}/api/jobs?limit=500`)).body.length;
      for (const op of ['reapply', 'restart', 'restore']) {
        const r = await post<Err>(c, op);
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('NODE_UNREACHABLE');
      }
      expect((await getJson<JobInfo[]>(`${c.url}/api/jobs?limit=500`)).body.length).toBe(jobsBefore);
    } finally {
      await c.sim.faults.nodeUp('spark2');
    }
  });

  it('unknown job ids and bad flags are 4xx JSON', async () => {
    const r = await getJson<Err>(`${c.url}/api/speech-models/jobs/nope-123`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    const bad = await getJson<Err>(`${c.url}/api/speech-models?refresh=maybe`);
    expect(bad.status).toBe(400);
  });
});
