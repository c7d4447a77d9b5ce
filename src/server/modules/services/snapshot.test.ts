// The snapshot's own rules, against a scripted transport (the outermost seam): one exec per node,
// no exec at all for a node known to be down, a node still busy is skipped, and an event is
// published only when something changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import type { ShellCommand } from '../../platform/remote/sh.js';
import type { ExecResult, NodeTransport } from '../../platform/remote/transport.js';
import { openStore, type Db } from '../../platform/store/db.js';
import { ServiceRegistry } from './registry.js';
import { ServicesSnapshot } from './snapshot.js';
import { CustomServiceStore } from './store.js';

const node = (name: string) => ({
  name,
  host: '127.0.0.1',
  user: 'u',
  ssh_port: 22,
  qsfp_ip: null,
  mac: null,
});
const config = {
  nodes: [node('a'), node('b')],
  vllm: { nodes: ['a'], port: 8888, container: 'vllm_node', launcher_dir: '~/x' },
  // Bots: docker state only, so no HTTP request leaves the test.
  services: {
    bot1: { name: 'bot1', node: 'a', port: 9, container: 'bot-a', kind: 'bot' as const },
    bot2: { name: 'bot2', node: 'b', port: 9, container: 'bot-b', kind: 'bot' as const },
  },
  matrix_bridge: { node: null, container: 'matrix-bridge', branch: 'main' },
  matrix_bridge_user: null,
};
const line = (name: string, status: string) =>
  `/${name} 2 ${JSON.stringify({ Status: status, Paused: false, Restarting: false, StartedAt: '2026-12-01T10:00:00Z' })}\n`;

class ScriptedTransport implements NodeTransport {
  calls: { node: string; cmd: string }[] = [];
  status = 'running';
  hold: Promise<void> | null = null;
  async exec(n: string, cmd: ShellCommand): Promise<ExecResult> {
    this.calls.push({ node: n, cmd: cmd.text });
    if (this.hold) await this.hold;
    return { code: 0, stdout: line(n === 'a' ? 'bot-a' : 'bot-b', this.status), stderr: '' };
  }
  state() {
    return { state: 'connected' as const };
  }
  stream(): Promise<ExecResult> {
    throw new Error('not used by the snapshot');
  }
  async retrust() {}
  async checkNow() {}
  async close() {}
}

describe('ServicesSnapshot', () => {
  let dir = '';
  let db: Db | null = null;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup(down: Record<string, string> = {}) {
    dir = mkdtempSync(join(tmpdir(), 'sc-snap-'));
    db = openStore(dir);
    const t = new ScriptedTransport();
    const bus = new EventBus();
    const events: EventEnvelope[] = [];
    bus.subscribe((e) => events.push(e));
    const snap = new ServicesSnapshot({
      registry: new ServiceRegistry(config, new CustomServiceStore(db)),
      nodes: config.nodes,
      transport: t,
      bus,
      nodeDown: (n) => down[n] ?? null,
      jobOn: () => null,
      intervalMs: 60_000,
    });
    return { t, snap, events, down };
  }

  it('asks each node once, and never a node known to be down', async () => {
    const { t, snap } = setup({ b: 'b: connect ECONNREFUSED' });
    const r = await snap.refresh();
    expect(t.calls.map((c) => c.node)).toEqual(['a']);
    expect(t.calls[0]?.cmd).toContain('docker inspect');
    expect(r.services.find((s) => s.name === 'bot1')).toMatchObject({
      docker_state: 'running',
      restart_count: 2,
      health: null,
    });
    expect(r.services.find((s) => s.name === 'bot2')).toMatchObject({
      docker_state: 'unknown',
      error: 'b: connect ECONNREFUSED',
    });
  });

  it('a node that goes down shows unknown at once, before the next poll', async () => {
    const { snap, down } = setup();
    await snap.refresh();
    expect(snap.one('bot2')?.docker_state).toBe('running');
    down.b = 'b: unreachable';
    expect(snap.one('bot2')).toMatchObject({ docker_state: 'unknown', error: 'b: unreachable' });
    expect(snap.current().services.find((s) => s.name === 'bot1')?.docker_state).toBe('running');
  });

  it('publishes a services event only when something changed', async () => {
    const { t, snap, events } = setup();
    await snap.refresh();
    await snap.refresh();
    const published = () => events.filter((e) => e.type === 'services').length;
    expect(published()).toBe(1);
    t.status = 'exited';
    await snap.refresh();
    expect(published()).toBe(2);
  });

  it('skips a node still busy with the last poll (no pile-up), unless asked for that node', async () => {
    const { t, snap } = setup();
    let release = () => {};
    t.hold = new Promise((r) => (release = r));
    const first = snap.refresh();
    await new Promise((r) => setTimeout(r, 10));
    const second = snap.refresh();
    expect(t.calls).toHaveLength(2);
    release();
    await Promise.all([first, second]);
    t.hold = null;
    await snap.refresh('a');
    expect(t.calls.map((c) => c.node)).toEqual(['a', 'b', 'a']);
  });
});
