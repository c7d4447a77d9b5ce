import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, exec, newKeyPair, startTestCluster, type TestCluster } from './testing.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startTestCluster();
});
afterAll(() => tc.dispose());

const node = (i: number) => tc.sim.nodes[i]!;

describe('simulated SSH', () => {
  it('runs commands in a real bash with the node home and user', async () => {
    const { client } = await connect(node(0), tc.privateKey);
    const r = await exec(client, 'echo "$HOME"; whoami; echo "$BASH_VERSION" | cut -d. -f1; pwd; exit 3');
    client.end();
    const [home, user, bashMajor, pwd] = r.stdout.trim().split('\n');
    expect(home).toBe(node(0).home);
    expect(pwd).toBe(node(0).home);
    expect(user).toBe('spark');
    expect(Number(bashMajor)).toBeGreaterThanOrEqual(4);
    expect(r.code).toBe(3);
  });

  it('pipes stdin and stderr, honours env requests, and serves many channels on one connection', async () => {
    const { client } = await connect(node(1), tc.privateKey);
    const piped = await exec(client, 'tr a-z A-Z; echo oops >&2', 'hello spark');
    expect(piped.stdout).toBe('HELLO SPARK');
    expect(piped.stderr).toBe('oops\n');
    const withEnv = await new Promise<string>((resolve, reject) =>
      client.exec('echo "$LC_DEMO"', { env: { LC_DEMO: 'x1' } }, (err, s) => {
        if (err) return reject(err);
        let out = '';
        s.on('data', (d: Buffer) => (out += d.toString())).on('close', () => resolve(out.trim()));
        s.end();
      }),
    );
    expect(withEnv).toBe('x1');
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) => exec(client, `sleep 0.05; echo ${i}`)),
    );
    expect(many.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    client.end();
  });

  it('refuses keys that are not authorized', async () => {
    await expect(connect(node(0), newKeyPair().privateKey)).rejects.toThrow(/authentication methods failed/);
  });

  it('kills the command on a signal request', async () => {
    const { client } = await connect(node(0), tc.privateKey);
    const r = await new Promise<{ code: number | null; signal?: string }>((resolve, reject) =>
      client.exec('sleep 30', (err, s) => {
        if (err) return reject(err);
        s.on('exit', (code: number | null, signal?: string) => resolve({ code, signal }));
        s.on('data', () => {});
        setTimeout(() => s.signal('KILL'), 100);
      }),
    );
    client.end();
    expect(r.signal).toBe('SIGKILL'); // the server sends RFC 4254's "KILL"; ssh2's client prefixes SIG
  });

  it('adds latency before each exec', async () => {
    const { client } = await connect(node(1), tc.privateKey);
    tc.sim.faults.setLatency(node(1).name, 150);
    const t0 = Date.now();
    await exec(client, 'true');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    tc.sim.faults.setLatency(node(1).name, 0);
    client.end();
  });

  it('nodeDown refuses connections and drops open ones; nodeUp keeps port and host key', async () => {
    const n = node(1);
    const first = await connect(n, tc.privateKey);
    const dropped = new Promise<void>((resolve) => first.client.on('close', () => resolve()));
    await tc.sim.faults.nodeDown(n.name);
    await dropped;
    await expect(connect(n, tc.privateKey)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await tc.sim.faults.nodeUp(n.name);
    const again = await connect(n, tc.privateKey);
    expect(again.hostKey.equals(first.hostKey)).toBe(true);
    expect((await exec(again.client, 'echo up')).stdout).toBe('up\n');
    again.client.end();
  });

  it('hangSsh accepts TCP but never completes the handshake, then recovers', async () => {
    const n = node(0);
    tc.sim.faults.hangSsh(n.name, true);
    await expect(connect(n, tc.privateKey, { readyTimeout: 400 })).rejects.toThrow(/handshake/);
    tc.sim.faults.hangSsh(n.name, false);
    const { client } = await connect(n, tc.privateKey);
    client.end();
  });

  it('hangSsh also stalls commands on an open connection until it is lifted', async () => {
    const n = node(0);
    const { client } = await connect(n, tc.privateKey);
    tc.sim.faults.hangSsh(n.name, true);
    let done = false;
    const pending = exec(client, 'echo late').then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    tc.sim.faults.hangSsh(n.name, false);
    expect((await pending).stdout).toBe('late\n');
    client.end();
  });

  it('stop() closes everything and leaves no processes behind', async () => {
    const own = await startTestCluster({ nodes: ['solo'] });
    const { client } = await connect(own.sim.nodes[0]!, own.privateKey);
    // A background job that outlives its command, and a foreground one that is still running.
    const bg = await exec(client, 'sleep 60 >/dev/null 2>&1 & echo $!');
    const fgPid = await new Promise<number>((resolve, reject) =>
      client.exec('echo $$; exec sleep 60', (err, s) => {
        if (err) return reject(err);
        s.on('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      }),
    );
    client.on('error', () => {});
    await own.dispose();
    // A killed process may linger as a zombie until its new parent reaps it; that is not "running".
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(alive(Number(bg.stdout.trim()))).toBe(false);
    expect(alive(fgPid)).toBe(false);
    await expect(connect(own.sim.nodes[0]!, own.privateKey)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
