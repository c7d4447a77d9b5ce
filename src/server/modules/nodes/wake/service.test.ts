// The wake service against a fake transport (the outermost seam): which MAC wins, what is tried in
// which order, and what a wake that could not send anything leaves behind (nothing).
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../../config/types.js';
import type { ExecResult, NodeTransport } from '../../../platform/remote/transport.js';
import { WakeService, type WakeServiceDeps } from './service.js';
import { WakingTracker } from './waking.js';

const node = (name: string, mac: string | null = null): NodeConfig => ({
  name,
  host: '127.0.0.1',
  user: 'spark',
  ssh_port: 22,
  qsfp_ip: null,
  mac,
});

function fakeTransport(answer: (node: string, cmd: string) => ExecResult | Error) {
  const calls: { node: string; cmd: string }[] = [];
  const t = {
    exec: async (n: string, cmd: { text: string }) => {
      calls.push({ node: n, cmd: cmd.text });
      const r = answer(n, cmd.text);
      if (r instanceof Error) throw r;
      return r;
    },
    checkNow: async () => {},
  } as unknown as NodeTransport;
  return { t, calls };
}

const services: WakeService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.stop();
});

function service(over: Partial<WakeServiceDeps>): {
  s: WakeService;
  tracker: WakingTracker;
  changes: number[];
} {
  const tracker = new WakingTracker();
  const changes: number[] = [];
  const s = new WakeService({
    nodes: [node('spark1'), node('spark2', 'AA-BB-CC-DD-EE-FF')],
    wake: { broadcast_address: '127.0.0.1', ports: [9] },
    loopbackOnly: true,
    transport: fakeTransport(() => ({ code: 0, stdout: 'sent\n', stderr: '' })).t,
    tracker,
    cachedMac: () => '02:00:00:00:00:09',
    reachable: () => true,
    changed: () => changes.push(1),
    probe: () => {},
    ...over,
  });
  services.push(s);
  return { s, tracker, changes };
}

describe('WakeService', () => {
  it('prefers the configured MAC (normalized) over the cached one', async () => {
    const { s } = service({});
    const r = await s.wake('spark2');
    expect(r.mac).toBe('aa:bb:cc:dd:ee:ff');
  });

  it('uses the cached MAC when none is configured, and the first reachable peer only', async () => {
    const { t, calls } = fakeTransport(() => ({ code: 0, stdout: 'sent\n', stderr: '' }));
    const { s } = service({
      nodes: [node('spark1'), node('spark2'), node('spark3')],
      transport: t,
      reachable: (n) => n !== 'spark1',
    });
    const r = await s.wake('spark1');
    expect(r.mac).toBe('02:00:00:00:00:09');
    expect(calls.map((c) => c.node)).toEqual(['spark2']);
    expect(calls[0]?.cmd).toContain('020000000009'.repeat(16));
    expect(r.sent_via[0]).toEqual({ via: 'peer', target: 'spark2' });
  });

  it('goes on to the next peer when one fails, and says why each failed', async () => {
    const { t, calls } = fakeTransport((n) =>
      n === 'spark2'
        ? { code: 127, stdout: '', stderr: 'bash: python3: command not found' }
        : new Error('spark3: the SSH connection was lost'),
    );
    const { s } = service({ nodes: [node('spark1'), node('spark2'), node('spark3')], transport: t });
    const r = await s.wake('spark1');
    expect(calls.map((c) => c.node)).toEqual(['spark2', 'spark3']);
    expect(r.failed).toEqual([
      { via: 'peer', target: 'spark2', error: 'python3 is not installed on spark2' },
      { via: 'peer', target: 'spark3', error: 'spark3: the SSH connection was lost' },
    ]);
    expect(r.sent_via).toEqual([{ via: 'broadcast', target: '127.0.0.1:9' }]);
  });

  it('503 with every reason when nothing could be sent, and the node is not marked waking', async () => {
    const { t } = fakeTransport(() => ({
      code: 1,
      stdout: '',
      stderr: 'Traceback\nOSError: Network is unreachable',
    }));
    const { s, tracker, changes } = service({
      transport: t,
      // The simulator refuses anything off loopback, so the broadcast cannot go either.
      wake: { broadcast_address: '255.255.255.255', ports: [9, 7] },
    });
    const err = await s.wake('spark2').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503 });
    expect((err as Error).message).toMatch(/peer spark1: OSError: Network is unreachable/);
    expect((err as Error).message).toMatch(/broadcast 255\.255\.255\.255:9: the simulator only sends to 127/);
    expect(tracker.get('spark2')).toBeNull();
    expect(changes).toEqual([]);
  });

  it('records each wake for the connectivity log: the senders used, or why none could send', async () => {
    const logged: unknown[] = [];
    const { t } = fakeTransport((n) =>
      n === 'spark1' ? new Error('spark1: connect timed out') : { code: 0, stdout: 'sent\n', stderr: '' },
    );
    const { s } = service({
      nodes: [node('spark1'), node('spark2', 'AA-BB-CC-DD-EE-FF'), node('spark3')],
      transport: t,
      logWake: (w) => logged.push(w),
    });
    await s.wake('spark2');
    expect(logged).toEqual([
      {
        node: 'spark2',
        ok: true,
        note: 'Magic packet to aa:bb:cc:dd:ee:ff sent from spark3 over SSH, broadcast to 127.0.0.1:9',
        error: 'not from spark1 over SSH: spark1: connect timed out',
      },
    ]);

    const { s: offLan } = service({
      wake: { broadcast_address: '192.0.2.255', ports: [9] },
      reachable: () => false,
      logWake: (w) => logged.push(w),
    });
    await expect(offLan.wake('spark2')).rejects.toMatchObject({ status: 503 });
    expect(logged[1]).toMatchObject({
      node: 'spark2',
      ok: false,
      note: 'Magic packet to aa:bb:cc:dd:ee:ff not sent',
    });
    expect((logged[1] as { error: string }).error).toMatch(
      /^not from \(none\) over SSH: no other node is reachable over SSH; not broadcast to 192\.0\.2\.255:9: the simulator only sends to 127/,
    );
  });

  it('a log that throws does not fail the wake', async () => {
    const { s, tracker } = service({
      logWake: () => {
        throw new Error('database is locked');
      },
    });
    await expect(s.wake('spark2')).resolves.toMatchObject({ node: 'spark2' });
    expect(tracker.get('spark2')).not.toBeNull();
  });

  it('a wake while one is being sent shares it', async () => {
    const rx = createSocket('udp4');
    rx.bind(0, '127.0.0.1');
    await once(rx, 'listening');
    try {
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      let execs = 0;
      const t = {
        exec: async () => {
          execs++;
          await gate;
          return { code: 0, stdout: 'sent\n', stderr: '' };
        },
        checkNow: async () => {},
      } as unknown as NodeTransport;
      const { s } = service({
        transport: t,
        wake: { broadcast_address: '127.0.0.1', ports: [rx.address().port] },
      });
      const a = s.wake('spark2');
      const b = s.wake('spark2');
      release();
      const [ra, rb] = await Promise.all([a, b]);
      expect(execs).toBe(1);
      expect(rb).toBe(ra);
    } finally {
      rx.close();
    }
  });
});
