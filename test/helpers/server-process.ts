// Starts the built server (`dist/server/main.js`) as a real process on a loopback port the kernel
// picks (PORT=0, read back from its "listening on" log line — a port probed free beforehand can be
// taken by the simulated cluster's own listeners before the server binds it), with its own data
// directory — exactly what `npm start` runs, simulated cluster included.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './harness.js';

export interface ServerProcess {
  url: string;
  dataDir: string;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code (null when it had to be killed after `graceMs`). */
  terminate(graceMs?: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** A loopback port that was free a moment ago (nothing listens on it now). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `o.dataDir`: start on an earlier process's data directory (a restart of the control plane; that
 * process must have ended, and only the last one's `stop()` removes the directory).
 */
export async function startServerProcess(
  env: Record<string, string> = {},
  o: { dataDir?: string } = {},
): Promise<ServerProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'sc-e2e-'));
  const root = new URL('../../', import.meta.url).pathname;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
    cwd: root,
    // A clean environment: only what a process needs to run, never the developer's SPARK*/config vars.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      SIM_SPEED: '0.05',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let url = '';
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
      url ||= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      // Open whether or not admin login is on.
      return url !== '' && (await fetch(`${url}/api/auth/session`)).ok;
    }, 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    dataDir,
    output: () => out,
    async terminate(graceMs = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
