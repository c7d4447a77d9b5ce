// matrix-bridge Update has a cap (25 min in production): an update running past it is killed on
// the node and the job fails saying so. Here the cap is 1 s and the simulator runs at real speed,
// where the fake `docker compose up -d --build` alone sleeps 2.4 s through its build steps — so
// this update cannot finish within the cap, however fast or slow the machine is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/server/platform/remote/sh.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { jobDone, waitService } from './services-helpers.js';

const CAP_MS = 1000;

describe('matrix-bridge update cap', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({
      speed: 1,
      env: { MATRIX_BRIDGE_USER: 'spark' },
      timings: { servicesIntervalMs: 250, matrixBridgeUpdateCapMs: CAP_MS },
    });
  });
  afterAll(async () => {
    await c?.close();
  });

  /**
   * The update's processes still running on the bot's node: every one it started (git, compose,
   * its build sleeps) works in this node's ~/matrix-bridge. Matching `ps` lines by name instead
   * also caught other clusters' `git fetch` on a busy CI machine, where tests run side by side.
   */
  const updateProcesses = async () => {
    const r = await c.transport.exec(
      'spark2',
      sh`for p in /proc/[0-9]*; do [ "$(readlink "$p/cwd" 2>/dev/null)" = "$HOME/matrix-bridge" ] && tr '\\0' ' ' < "$p/cmdline" && echo; done; true`,
    );
    return r.stdout.split('\n').filter((l) => l.trim() !== '');
  };

  /** The bot container's state and start time, as docker on the node says now. */
  const container = async () =>
    (
      await c.transport.exec(
        'spark2',
        sh`docker inspect -f '{{.State.Status}} {{.State.StartedAt}}' matrix-bridge`,
      )
    ).stdout.trim();

  it('kills an update that runs past the cap, and the job fails saying so', async () => {
    await waitService(c, 'matrix-bridge', (s) => s.docker_state === 'running');
    const before = await container();
    expect(before).toMatch(/^running /);
    c.sim.faults.matrixBridgeCommit('Something new upstream');
    const r = await getJson<{ job_id: string }>(`${c.url}/api/matrix-bridge/update`, { method: 'POST' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const job = await jobDone(c, r.body.job_id, 60_000);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/^The update ran longer than its 1 s cap and was stopped on spark2/);
    // Killed on the node, not merely abandoned: once its processes are gone, the container was
    // never recreated (a surviving compose would have replaced it after its build).
    let left: string[] = [];
    await waitFor(async () => (left = await updateProcesses()).length === 0, 20_000).catch(() => {
      throw new Error(`the update's processes outlived the cap: ${JSON.stringify(left)}`);
    });
    expect(await container()).toBe(before);
  });
});
