// Speech-model patches that go wrong, on the simulator over real SSH: a shipped file with a syntax
// error (a test overlay differing from overlays/parakeet) and a control-plane restart mid-reapply.
import { appendFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { byName, OVERLAY, post, ran, type Result, sha256File, status } from './speech-models-helpers.js';

let c: TestCluster;
let overlay: string;

beforeAll(async () => {
  overlay = mkdtempSync(join(tmpdir(), 'overlay-'));
  for (const f of readdirSync(OVERLAY).filter((n) => n.endsWith('.py')))
    cpSync(join(OVERLAY, f), join(overlay, f));
  appendFileSync(join(overlay, 'main.py'), '\ndef broken(:\n    pass\n');
  c = await startTestCluster({ speed: 0.05, speechModels: { overlayDir: overlay } });
});
afterAll(async () => c?.close());

const realMainSha = () => sha256File(join(OVERLAY, 'main.py'));

describe('speech-model patches that fail', { timeout: 150_000 }, () => {
  it('a syntax error fails at py_compile, puts the previous files back and never restarts', async () => {
    const before = byName(await status(c));
    expect(before['main.py']).toMatchObject({ status: 'drift', container_sha256: realMainSha() });
    const restarts = ran(c, /docker restart/).length;

    const r = await post<Result>(c, 'reapply?wait=1');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.job.state).toBe('failed');
    expect(r.body.job.error).toMatch(/syntax check failed.*not restarted/);
    expect(r.body.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      'check:true',
      'backup:true',
      'copy:true',
      'verify:true',
      'py_compile:false',
      'rollback:true',
    ]);
    const compile = r.body.steps[4]!;
    expect(compile.detail).toContain('/opt/parakeet/app/main.py');
    expect(compile.detail).toContain('SyntaxError');
    expect(ran(c, /docker restart/).length).toBe(restarts);
    // The container has its previous main.py again (the shipped set still differs from it).
    const after = byName(await status(c));
    expect(after['main.py']).toMatchObject({ status: 'drift', container_sha256: realMainSha() });
    expect(Object.values(after).filter((f) => f.status !== 'in_sync')).toHaveLength(1);
  });

  it('a control-plane restart mid-reapply leaves the job interrupted and the originals restorable', async () => {
    c.sim.faults.parakeetUpgrade(true);
    const upgraded = byName(await status(c));
    expect(upgraded['diarizer.py']?.status).toBe('missing');
    // Slow the speech node so the restart lands while files are being copied.
    c.sim.faults.setLatency('spark2', 400);
    const started = await post<{ job_id: string }>(c, 'reapply');
    expect(started.status).toBe(202);
    const id = started.body.job_id;
    await waitFor(async () => {
      const r = (await getJson<Result>(`${c.url}/api/speech-models/jobs/${id}`)).body;
      return r.steps.some((s) => s.step === 'backup');
    }, 60_000);
    await c.restart();
    c.sim.faults.setLatency('spark2', 0);

    const job = (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body;
    expect(job.state).toBe('interrupted');
    expect(job.locks).toEqual(['container:spark2:parakeet-asr']);
    // The lock is free again: restore runs and puts back what the first reapply kept.
    const r = await post<Result>(c, 'restore?wait=1');
    expect(r.body.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
      'check:true',
      'restore:true',
      'restart:true',
      'health:true',
    ]);
    const files = byName(await status(c));
    expect(files['main.py']).toMatchObject({ container_sha256: realMainSha() });
    expect(Object.values(files).filter((f) => f.status === 'missing')).toEqual([]);
  });
});
