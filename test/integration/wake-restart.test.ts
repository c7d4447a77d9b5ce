// A control plane restarted while a woken Spark boots: the node still shows "waking" with the
// same times (the state lives in SQLite), and once it answers SSH the state clears as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareSnapshot, WakeResponse } from '../../src/common/api.js';
import { getJson, type TestCluster, waitFor } from '../helpers/harness.js';
import { startWakeCluster, type WakeCluster } from '../helpers/wake.js';

let w: WakeCluster;
let c: TestCluster;
const hardware = async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;

beforeAll(async () => {
  // Long enough to restart the control plane while spark2 boots.
  w = await startWakeCluster({ wakeDelayMs: 8_000 });
  c = w.c;
  await waitFor(async () => (await hardware()).spark2?.mac, 30_000);
}, 60_000);

afterAll(async () => w?.close());

describe('Wake-on-LAN across a control-plane restart', () => {
  it('keeps the node waking with the same times, then clears it when the node answers', async () => {
    await c.sim.faults.nodeDown('spark2');
    await waitFor(async () => (await hardware()).spark2?.ok === false);
    const r = await getJson<WakeResponse>(`${c.url}/api/spark/spark2/wake`, { method: 'POST' });
    expect(r.status).toBe(200);
    const before = await hardware();
    expect(before.spark2?.waking_since).toBe(r.body.waking_since);

    await c.restart();
    const after = (await hardware()).spark2;
    expect(after?.ok).not.toBe(true);
    expect(after?.waking_since).toBe(r.body.waking_since);
    expect(after?.waking_until).toBe(r.body.waking_until);

    const back = await waitFor(async () => {
      const h = (await hardware()).spark2;
      return h?.ok ? h : null;
    }, 30_000);
    expect(back.waking_since ?? null).toBeNull();
    // Cleared on disk too: another restart does not bring "waking" back.
    await c.restart();
    expect((await hardware()).spark2?.waking_since ?? null).toBeNull();
  }, 90_000);
});
