// Shared set-up for the ssh-pool tests: a temp data dir with the control plane's key, fixtures and
// transports that are torn down after each test (call `cleanup` from afterEach).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { AppError } from '../http/errors.js';
import { sha256Fingerprint } from './fingerprint.js';
import { loadOrCreateKeyPair, type ControlPlaneKeys } from './keys.js';
import { KnownHosts } from './known-hosts.js';
import { createSshTransport, type SshTransportOptions } from './ssh-pool.js';
import { startSshFixture, type SshFixture } from './test-ssh-server.js';
import type { NodeTransport } from './transport.js';

export interface SshHarness {
  dir: string;
  keys: ControlPlaneKeys;
  fixture(opts?: { port?: number; hostKey?: string }): Promise<SshFixture>;
  /** A transport with one node `n1` on 127.0.0.1:`port`, 200 ms cooldown, 2 s probe timeout. */
  transport(port: number, o?: Partial<SshTransportOptions>): { t: NodeTransport; known: KnownHosts };
  onCleanup(fn: () => Promise<void> | void): void;
  cleanup(): Promise<void>;
  dispose(): void;
}

export function sshHarness(): SshHarness {
  const dir = mkdtempSync(join(tmpdir(), 'sc-ssh-'));
  const keys = loadOrCreateKeyPair(dir);
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    dir,
    keys,
    async fixture(opts = {}) {
      const f = await startSshFixture({ authorizedKey: keys.publicKey, ...opts });
      cleanups.push(() => f.stop());
      return f;
    },
    transport(port, o = {}) {
      const known = new KnownHosts(mkdtempSync(join(dir, 'kh-')));
      const t = createSshTransport({
        nodes: [{ name: 'n1', host: '127.0.0.1', port, user: 'tester' }],
        privateKey: keys.privateKey,
        knownHosts: known,
        failureCooldownMs: 200,
        probeTimeoutMs: 2000,
        ...o,
      });
      cleanups.push(() => t.close());
      return { t, known };
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
    async cleanup() {
      while (cleanups.length) await cleanups.pop()!();
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The AppError a promise rejects with (fails loudly if it resolves or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a rejection, but the promise resolved'),
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `pid` no longer exists (≤ 2 s). */
export async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

export function fingerprintOf(privateKey: string): string {
  const k = ssh2.utils.parseKey(privateKey);
  if (k instanceof Error) throw k;
  return sha256Fingerprint(k.getPublicSSH());
}
