// Live hardware over real SSH to the simulated Sparks (SPEC §3), and how faults show up.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareHistory, HardwareSnapshot } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';
import { runShellSandboxed } from '../helpers/unit.js';

describe('hardware', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ timings: WATCHING_HARDWARE });
  });
  afterAll(async () => c?.close());

  const snapshot = async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;

  it('reports every node as a GB10 with unified memory, RAM, disk, MAC and age', async () => {
    const hw = await waitFor(async () => {
      const s = await snapshot();
      return s.spark1?.ok && s.spark2?.ok ? s : null;
    });
    expect(Object.keys(hw)).toEqual(['spark1', 'spark2']);
    for (const name of ['spark1', 'spark2']) {
      const h = hw[name]!;
      expect(h.gpu?.name).toBe('NVIDIA GB10');
      expect(h.gpu_unified_memory).toBe(true);
      expect(h.ram_total).toBeGreaterThan(100e9);
      expect(h.gpu_mem_total).toBe(h.ram_total);
      expect(h.cores).toBeGreaterThan(0);
      expect(h.disk_total).toBeGreaterThan(0);
      expect(h.hf_cache?.total).toBeGreaterThan(0);
      expect(h.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(typeof h.age_s).toBe('number');
      expect(h.hostname).toBeTruthy();
    }
    // The head node serves a model, so its GPU holds vLLM's memory; the two MACs differ.
    expect(hw.spark1!.gpu_mem_used).toBeGreaterThan(1e9);
    expect(hw.spark1!.mac).not.toBe(hw.spark2!.mac);
    // WireGuard is detected from `ip` without sudo on the node that has a tunnel.
    expect(hw.spark2!.wg_iface).toBe('wg0');
    expect(hw.spark2!.wg_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('keeps history in SQLite and serves it per node', async () => {
    const h = await waitFor(async () => {
      const r = await getJson<HardwareHistory>(`${c.url}/api/hardware/history?node=spark1&minutes=5`);
      return r.body.samples.length >= 2 ? r : null;
    });
    expect(h.status).toBe(200);
    expect(h.body.node).toBe('spark1');
    const last = h.body.samples.at(-1)!;
    expect(last.ok).toBe(true);
    expect(last.ram_total).toBeGreaterThan(100e9);
    expect(last.ts).toBeLessThanOrEqual(Date.now());
  });

  it('answers bad history queries with 4xx JSON', async () => {
    const unknown = await getJson<{ error: { code: string; message: string } }>(
      `${c.url}/api/hardware/history?node=nope&minutes=5`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/nope/);
    for (const q of ['node=spark1&minutes=abc', 'node=spark1&minutes=0', 'minutes=5']) {
      const r = await getJson<{ error: { message: string } }>(`${c.url}/api/hardware/history?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message).toBeTruthy();
    }
  });

  it('turns a node that goes down unreachable while the API keeps answering, and recovers', async () => {
    await c.sim.faults.nodeDown('spark2');
    const down = await waitFor(async () => {
      const s = await snapshot();
      return s.spark2 && !s.spark2.ok ? s.spark2 : null;
    });
    expect(down.error_kind).toBe('unreachable');
    expect(down.error).toMatch(/127\.0\.0\.1|spark2|connect/i);
    expect(down.mac).toMatch(/:/); // the MAC seen earlier is kept for Wake-on-LAN
    const s = await snapshot();
    expect(s.spark1?.ok).toBe(true);
    await c.sim.faults.nodeUp('spark2');
    await waitFor(async () => (await snapshot()).spark2?.ok, 20_000);
  });

  it('turns a node whose SSH hangs unreachable', async () => {
    c.sim.faults.hangSsh('spark2', true);
    try {
      const h = await waitFor(async () => {
        const s = await snapshot();
        return s.spark2 && !s.spark2.ok ? s.spark2 : null;
      }, 30_000);
      expect(['timeout', 'unreachable']).toContain(h.error_kind);
    } finally {
      c.sim.faults.hangSsh('spark2', false);
    }
    await waitFor(async () => (await snapshot()).spark2?.ok, 30_000);
  });
});

describe('hardware when SSH is not set up', () => {
  it('says the key is not authorized, and offers the command to authorize it', async () => {
    const c = await startTestCluster({ authorizeControlPlane: false, nodes: 1, timings: WATCHING_HARDWARE });
    try {
      const h = await waitFor(async () => {
        const s = (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;
        return s.spark1?.error_kind === 'auth_failed' ? s.spark1 : null;
      });
      expect(h.ok).toBe(false);
      expect(h.error).toMatch(/not authorized|authoriz/i);
      const key = await getJson<{ public_key: string; commands: { node: string; command: string }[] }>(
        `${c.url}/api/ssh/public-key`,
      );
      expect(key.body.public_key).toMatch(/^ssh-ed25519 /);
      expect(key.body.commands[0]?.command).toContain('authorized_keys');

      // The owner pastes the command on the Spark, then presses "Check now": no 25 s wait.
      const home = join(c.dataDir, 'sim', 'nodes', 'spark1', 'home');
      expect(runShellSandboxed(key.body.commands[0]!.command, { home }).status).toBe(0);
      const check = await getJson<{ node: string; connection: { state: string } }>(
        `${c.url}/api/ssh/check/spark1`,
        { method: 'POST' },
      );
      expect(check.status).toBe(200);
      expect(check.body).toEqual({ node: 'spark1', connection: { state: 'connected' } });
      await waitFor(async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body.spark1?.ok);
    } finally {
      await c.close();
    }
  });

  it('retries a refused key at every sweep, not after a 25 s back-off', async () => {
    const c = await startTestCluster({
      authorizeControlPlane: false,
      nodes: 1,
      failureCooldownMs: 25_000,
      timings: { hardwareIntervalMs: 200 },
    });
    try {
      await waitFor(
        async () =>
          (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body.spark1?.error_kind ===
          'auth_failed',
      );
      const state = c.transport.state('spark1');
      expect(state.state).toBe('auth_failed');
      // The node is up: the next attempt is seconds away, not the 25 s of a node that is down.
      if (state.state === 'auth_failed') expect(state.retry_at - Date.now()).toBeLessThanOrEqual(2_000);
      const key = (await getJson<{ commands: { command: string }[] }>(`${c.url}/api/ssh/public-key`)).body;
      runShellSandboxed(key.commands[0]!.command, {
        home: join(c.dataDir, 'sim', 'nodes', 'spark1', 'home'),
      });
      // No "Check now": the sampler's next attempts get in on their own.
      await waitFor(
        async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body.spark1?.ok,
        15_000,
      );
    } finally {
      await c.close();
    }
  });

  it('refuses a changed host key until it is re-trusted through the API', async () => {
    const c = await startTestCluster({
      nodes: 1,
      timings: WATCHING_HARDWARE,
      beforeConnect: ({ dataDir, sim }) => {
        // A pin from "before the reinstall": the node now presents a different key.
        const hostPort = `127.0.0.1:${sim.nodes[0]!.port}`;
        const pinned = {
          type: 'ssh-ed25519',
          fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          first_seen: new Date(0).toISOString(),
        };
        writeFileSync(
          join(dataDir, 'known_hosts.json'),
          JSON.stringify({ version: 1, hosts: { [hostPort]: pinned } }),
        );
      },
    });
    try {
      const h = await waitFor(async () => {
        const s = (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;
        return s.spark1?.error_kind === 'host_key_changed' ? s.spark1 : null;
      });
      expect(h.error).toMatch(/host key/i);
      const bad = await fetch(`${c.url}/api/ssh/retrust/ghost`, { method: 'POST' });
      expect(bad.status).toBe(404);
      const ok = await fetch(`${c.url}/api/ssh/retrust/spark1`, { method: 'POST' });
      expect(ok.status).toBe(200);
      await waitFor(async () => (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body.spark1?.ok);
    } finally {
      await c.close();
    }
  });
});
