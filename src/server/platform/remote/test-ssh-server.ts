// Test fixture: a real ssh2 SSH server on 127.0.0.1 that accepts one public key and runs each exec
// request in a real `bash -c`, like sshd. Signals are delivered to the command's process group, as
// OpenSSH's killpg() does. Used by ssh-pool.test.ts; the full simulator lives in src/sim.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { generateEd25519 } from './keys.js';

export interface SshFixtureOptions {
  /** Public key line (`ssh-ed25519 AAAA…`) allowed to log in. */
  authorizedKey: string;
  /** Private host key (OpenSSH format); a fresh ed25519 key when omitted. */
  hostKey?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface SshFixture {
  port: number;
  hostKey: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Commands currently running, and the most that ever ran at once. */
  readonly running: number;
  readonly maxRunning: number;
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startSshFixture(o: SshFixtureOptions): Promise<SshFixture> {
  const hostKey = o.hostKey ?? generateEd25519().private;
  const allowed = ssh2.utils.parseKey(o.authorizedKey);
  if (allowed instanceof Error) throw allowed;
  const sockets = new Set<Socket>();
  const children = new Set<ChildProcess>();
  const stats = { connections: 0, running: 0, maxRunning: 0 };

  const onExec = (channel: ssh2.ServerChannel, command: string): ChildProcess => {
    // Own process group, so a signal reaches the command's children too (`sleep` under bash).
    const child = spawn('bash', ['-c', command], { stdio: 'pipe', detached: true });
    children.add(child);
    stats.running++;
    stats.maxRunning = Math.max(stats.maxRunning, stats.running);
    child.stdin.on('error', () => {});
    channel.pipe(child.stdin);
    child.stdout.on('data', (b: Buffer) => channel.write(b));
    child.stderr.on('data', (b: Buffer) => channel.stderr.write(b));
    child.on('close', (code, signal) => {
      children.delete(child);
      stats.running--;
      if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
      else channel.exit(code ?? 0);
      channel.end();
    });
    return child;
  };

  const ssh = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const sameKey = ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH());
      if (!sameKey) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
        return ctx.reject(['publickey']);
      }
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        let child: ChildProcess | null = null;
        // ssh2's Server ignores every request on a session once the client sent EOF, but OpenSSH
        // still honours `signal` then (the channel stays open) — and our client always sends EOF
        // right after starting a command. Undo ssh2's flag so the fixture behaves like sshd.
        session.on('eof', () => {
          (session as unknown as { _ending: boolean })._ending = false;
        });
        session.on('exec', (accept, _reject, info) => {
          child = onExec(accept(), info.command);
        });
        session.on('signal', (accept, _reject, info) => {
          if (child) killGroup(child, `SIG${info.name}` as NodeJS.Signals);
          accept?.();
        });
      });
    });
  });

  const tcp = createServer((sock) => {
    stats.connections++;
    sock.setNoDelay(true);
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    ssh.injectSocket(sock);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = tcp.address();
  if (address === null || typeof address === 'string') throw new Error('fixture did not get a TCP port');

  return {
    port: address.port,
    hostKey,
    get connections() {
      return stats.connections;
    },
    get running() {
      return stats.running;
    },
    get maxRunning() {
      return stats.maxRunning;
    },
    async stop() {
      for (const child of children) killGroup(child, 'SIGKILL');
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
