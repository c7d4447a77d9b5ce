// matrix-bridge Update over real SSH and git: fetch + reset to origin/main + docker compose up -d
// --build in ~/matrix-bridge, streamed into the job's log; a dirty or missing clone fails loudly
// before anything changes; a restart while the update runs is refused naming it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, type TestCluster } from '../helpers/harness.js';
import { act, jobDone, service, startServicesCluster, waitService } from './services-helpers.js';

const head = (dir: string) =>
  execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
async function update(c: TestCluster): Promise<{ job_id: string }> {
  const r = await getJson<{ job_id: string }>(`${c.url}/api/matrix-bridge/update`, { method: 'POST' });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
}

describe('matrix-bridge update', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startServicesCluster();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('fetches, resets to origin/main and rebuilds; secrets beside the clone survive', async () => {
    const clone = c.sim.matrixBridge.checkout;
    const before = await waitService(c, 'matrix-bridge', (s) => s.docker_state === 'running');
    const sha = c.sim.faults.matrixBridgeCommit('Answer in threads');
    expect(head(clone)).not.toBe(sha);
    const r = await update(c);
    // The container is locked for the update's whole run: a restart now is refused naming it.
    const clash = await act(c, 'matrix-bridge', 'restart');
    expect(clash.status).toBe(409);
    expect(clash.body.error?.message).toMatch(
      new RegExp(`An update of matrix-bridge is running on matrix-bridge \\(job ${r.job_id}\\)`),
    );
    const job = await jobDone(c, r.job_id, 60_000);
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect(job.kind).toBe('matrix-bridge-update');
    const log = job.log_tail.join('\n');
    expect(log).toContain(`HEAD is now at ${sha.slice(0, 7)} Answer in threads`);
    expect(log).toContain('Container matrix-bridge  Started');
    expect(head(clone)).toBe(sha);
    expect(readFileSync(join(clone, '.env'), 'utf8')).toContain('MATRIX_HOMESERVER');
    const after = await service(c, 'matrix-bridge');
    expect(after.docker_state).toBe('running');
    expect(after.started_at).not.toBe(before.started_at);
  });

  it('a dirty clone fails loudly, naming the files, and nothing is fetched or reset', async () => {
    const clone = c.sim.matrixBridge.checkout;
    const was = head(clone);
    c.sim.faults.matrixBridgeCommit('Something new upstream');
    c.sim.faults.dirtyMatrixBridge(true);
    try {
      const job = await jobDone(c, (await update(c)).job_id, 60_000);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/uncommitted changes \(M bridge\.py\)/);
      expect(head(clone)).toBe(was);
      expect(readFileSync(join(clone, 'bridge.py'), 'utf8')).toContain('local hotfix');
    } finally {
      c.sim.faults.dirtyMatrixBridge(false);
    }
  });

  it('a missing clone fails loudly', async () => {
    const clone = c.sim.matrixBridge.checkout;
    renameSync(clone, `${clone}.moved`);
    try {
      const job = await jobDone(c, (await update(c)).job_id, 60_000);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/~\/matrix-bridge of spark on spark2 is missing or not a git clone/);
      expect(existsSync(clone)).toBe(false);
    } finally {
      renameSync(`${clone}.moved`, clone);
    }
  });
});
