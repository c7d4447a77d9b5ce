// Wake-on-LAN over the simulator: the peer's real python3 (through the simulated LAN, loopback
// only) and the control plane's broadcast to a loopback receiver; the node comes back by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareSnapshot, WakeResponse } from '../../src/common/api.js';
import { magicPacket } from '../../src/server/modules/nodes/wake/magic-packet.js';
import { getJson, type TestCluster, waitFor } from '../helpers/harness.js';
import { startWakeCluster, type WakeCluster } from '../helpers/wake.js';

let w: WakeCluster;
let c: TestCluster;
let rxPort = 0;
let received: Buffer[] = [];

const wake = (node: string, headers: Record<string, string> = {}) =>
  getJson<WakeResponse & { error?: { code: string; message: string } }>(`${c.url}/api/spark/${node}/wake`, {
    method: 'POST',
    headers,
  });
const hardware = async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;
const macOf = (node: string) => c.sim.nodes.find((n) => n.name === node)?.mac ?? '';
const heardFor = (mac: string) => c.sim.lan.heard.filter((p) => p.mac === mac).length;

beforeAll(async () => {
  w = await startWakeCluster({
    configure: (config) => ({
      ...config,
      nodes: [
        ...config.nodes,
        // Never seen up (nothing listens on port 1) and no MAC configured.
        { name: 'spark9', host: '127.0.0.1', user: 'spark', ssh_port: 1, qsfp_ip: null, mac: null },
        // What config validation refuses at start-up, reaching the route anyway.
        { name: 'sparkbad', host: '127.0.0.1', user: 'spark', ssh_port: 1, qsfp_ip: null, mac: 'zz:zz' },
      ],
    }),
  });
  ({ c, received, rxPort } = w);
  await waitFor(async () => {
    const h = await hardware();
    return h.spark1?.ok && h.spark2?.ok && h.spark2.mac === macOf('spark2');
  }, 30_000);
}, 60_000);

afterAll(async () => w?.close());

describe('POST /api/spark/{name}/wake — bad input', () => {
  it('404 for an unknown node', async () => {
    const r = await wake('nope');
    expect(r.status).toBe(404);
    expect(r.body.error?.message).toMatch(/No node named "nope"/);
  });

  it('409 saying how to set a MAC when none is known', async () => {
    const r = await wake('spark9');
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('CONFLICT');
    expect(r.body.error?.message).toMatch(/nodes\[2\]\.mac/);
    expect(r.body.error?.message).toMatch(/settings page/);
  });

  it('400 for an invalid MAC in the config, naming the key', async () => {
    const r = await wake('sparkbad');
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toMatch(/nodes\[3\]\.mac must be a MAC address/);
  });

  it('refuses a cross-origin POST (403) and sends nothing', async () => {
    const before = received.length;
    const r = await wake('spark2', { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    const ok = await wake('spark9'); // a later request still answers: nothing was left half-done
    expect(ok.status).toBe(409);
    expect(received.length).toBe(before);
  });
});

describe('waking an asleep node', () => {
  it('sends from the peer (to the simulated LAN) and broadcasts (to loopback); the node comes back', async () => {
    const mac = macOf('spark2');
    await c.sim.faults.nodeDown('spark2');
    await waitFor(async () => (await hardware()).spark2?.ok === false);
    const heard = heardFor(mac);
    const before = received.length;

    const r = await wake('spark2');
    expect(r.status).toBe(200);
    expect(r.body.node).toBe('spark2');
    expect(r.body.mac).toBe(mac);
    expect(r.body.sent_via).toEqual([
      { via: 'peer', target: 'spark1' },
      { via: 'broadcast', target: `127.0.0.1:${rxPort}` },
    ]);
    expect(r.body.failed).toEqual([]);
    expect(Date.parse(r.body.waking_until)).toBeGreaterThan(Date.parse(r.body.waking_since));

    await waitFor(() => received.length > before);
    expect(received.at(-1)?.equals(magicPacket(mac))).toBe(true);
    await waitFor(() => heardFor(mac) > heard); // the peer's python3 sent it on the LAN

    const back = await waitFor(async () => {
      const h = (await hardware()).spark2;
      return h?.ok ? h : null;
    }, 30_000);
    expect(back.waking_since ?? null).toBeNull();
  });

  it('a peer without python3 is reported and the broadcast still goes; a racing double wake is one wake', async () => {
    const mac = macOf('spark2');
    c.sim.faults.python3('spark1', false);
    let first: string | null;
    try {
      await c.sim.faults.nodeDown('spark2');
      await waitFor(async () => (await hardware()).spark2?.ok === false);
      const before = received.length;

      const [a, b] = await Promise.all([wake('spark2'), wake('spark2')]);
      for (const r of [a, b]) {
        expect(r.status).toBe(200);
        expect(r.body.sent_via).toEqual([{ via: 'broadcast', target: `127.0.0.1:${rxPort}` }]);
        expect(r.body.failed).toEqual([
          { via: 'peer', target: 'spark1', error: 'python3 is not installed on spark1' },
        ]);
        expect(r.body.message).toMatch(/only the broadcast went/);
      }
      expect(b.body.waking_since).toBe(a.body.waking_since);
      first = a.body.waking_since;
      await waitFor(() => received.length > before);
      expect(received.slice(before).every((m) => m.equals(magicPacket(mac)))).toBe(true);

      // Nothing reached the simulated LAN, so the node stays asleep and the card says waking.
      const h = (await hardware()).spark2;
      expect(h?.ok).toBe(false);
      expect(h?.waking_since).toBe(a.body.waking_since);
      expect(h?.waking_until).toBe(a.body.waking_until);
    } finally {
      c.sim.faults.python3('spark1', true);
    }
    // With python3 back, the next wake goes through the peer and the node answers.
    const again = await wake('spark2');
    expect(again.body.sent_via[0]).toEqual({ via: 'peer', target: 'spark1' });
    // Still waking from the first attempt: the start is kept, the end pushed out.
    expect(again.body.waking_since).toBe(first);
    await waitFor(async () => (await hardware()).spark2?.ok === true, 30_000);
  });

  it('a peer whose SSH fails still leaves the broadcast, with the peer error reported', async () => {
    await c.sim.faults.nodeDown('spark2');
    await waitFor(async () => (await hardware()).spark2?.ok === false);
    c.sim.faults.hangSsh('spark1', true);
    try {
      const before = received.length;
      const r = await wake('spark2');
      expect(r.status).toBe(200);
      expect(r.body.sent_via).toEqual([{ via: 'broadcast', target: `127.0.0.1:${rxPort}` }]);
      expect(r.body.failed).toHaveLength(1);
      expect(r.body.failed[0]).toMatchObject({ via: 'peer', target: 'spark1' });
      expect(r.body.failed[0]?.error).not.toBe('');
      await waitFor(() => received.length > before);
    } finally {
      c.sim.faults.hangSsh('spark1', false);
      await c.sim.faults.nodeUp('spark2');
    }
  }, 30_000);
});
