// A Parakeet wedge that comes back after every restart (the sim's parakeet-flap fault): three
// automatic restarts in the window, then auto-restart says it is paused and why, one report event,
// and never a fourth, also across a control-plane restart. The deep-health clock is moved by hand
// past each cooldown; the simulator's restarts and reloads are real (speed-scaled).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityResponse } from '../../src/common/api.js';
import { startDeepCluster, startupChecksDone, type DeepCluster } from '../helpers/deep-health.js';
import { getJson, waitFor } from '../helpers/harness.js';

const MIN = 60_000;

describe('deep health: a flapping wedge', () => {
  let c: DeepCluster;
  beforeAll(async () => {
    c = await startDeepCluster({ startup_grace_s: 0 });
    await startupChecksDone(c);
  });
  afterAll(async () => c?.close());

  const wedged = async () =>
    (await getJson<{ faults: { name: string; on: boolean }[] }>(`${c.url}/api/sim/faults`)).body.faults.find(
      (f) => f.name === 'parakeet-wedge',
    )?.on === true;

  const pausedReports = async () =>
    (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity?limit=1000`)).body.events.filter(
      (e) => e.source === 'deep-health' && e.error?.startsWith('auto-restart paused'),
    );

  /** Past the cooldown, once the wedge is back: one manual check. */
  const checkAfterCooldown = async () => {
    c.advance(2 * MIN + 1000);
    await waitFor(wedged);
    return c.run('parakeet');
  };

  it('restarts three times, then pauses with a reason and one report', async () => {
    await c.fault('parakeet-flap', true);
    for (let i = 1; i <= 3; i++) {
      const r = await checkAfterCooldown();
      expect(r.body).toMatchObject({ outcome: 'failed', wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED' });
      const jobs = await c.restartJobsDone(i);
      expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
      expect(c.restarts('parakeet-asr')).toBe(i);
    }
    for (let i = 0; i < 3; i++) {
      const r = await checkAfterCooldown();
      expect(r.body.outcome).toBe('failed');
    }
    const info = (await c.deepHealth()).services.parakeet!.auto_restart;
    expect(info).toMatchObject({ restarts_in_window: 3, paused: true });
    expect(info.reason).toMatch(
      /3 automatic restarts in the last 30 min \(at most 3\); auto-restart is paused/,
    );
    expect(info.next_allowed_at).not.toBeNull();
    expect(c.restarts('parakeet-asr')).toBe(3);
    expect((await getJson<unknown[]>(`${c.url}/api/jobs?kind=auto-restart`)).body).toHaveLength(3);
    expect(await pausedReports()).toHaveLength(1);
  });

  it('keeps the budget across a control-plane restart', async () => {
    await c.restart();
    const s = await startupChecksDone(c);
    expect(s.services.parakeet!.auto_restart).toMatchObject({ restarts_in_window: 3, paused: true });
    const r = await checkAfterCooldown();
    expect(r.body.outcome).toBe('failed');
    expect((await c.deepHealth()).services.parakeet!.auto_restart.paused).toBe(true);
    expect(c.restarts('parakeet-asr')).toBe(3);
    expect(await pausedReports()).toHaveLength(1);
  });

  it('restarts again once the first restarts leave the 30-minute window', async () => {
    c.advance(30 * MIN);
    await waitFor(wedged);
    const r = await c.run('parakeet');
    expect(r.body.outcome).toBe('failed');
    await c.restartJobsDone(4);
    expect(c.restarts('parakeet-asr')).toBe(4);
    const info = (await c.deepHealth()).services.parakeet!.auto_restart;
    expect(info.paused).toBe(false);
    expect(info.restarts_in_window).toBe(1);
    await c.fault('parakeet-flap', false);
  });
});
