// Helpers for tests that drive the simulator with a plain ssh2 client: a throwaway cluster with a
// fresh key, connect, exec. The control plane's own transport is tested elsewhere; these stay tiny.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Client, ConnectConfig } from 'ssh2';
import { generateEd25519 } from '../server/platform/remote/keys.js';
import { type SimCluster, type SimClusterOptions, type SimNode, startSimCluster } from './index.js';

export interface TestCluster {
  sim: SimCluster;
  dataDir: string;
  privateKey: string;
  publicKey: string;
  /** Stops the cluster and removes its data dir. */
  dispose(): Promise<void>;
}

export function newKeyPair(): { privateKey: string; publicKey: string } {
  const { private: privateKey, public: publicKey } = generateEd25519('spark-sim-test');
  return { privateKey, publicKey };
}

export async function startTestCluster(opts: Partial<SimClusterOptions> = {}): Promise<TestCluster> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'spark-sim-'));
  const { privateKey, publicKey } = newKeyPair();
  const sim = await startSimCluster({ speed: 0.05, ...opts, dataDir, authorizedKeys: [publicKey] });
  let disposed = false;
  return {
    sim,
    dataDir,
    privateKey,
    publicKey,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Connected {
  client: Client;
  /** The host key the server presented. */
  hostKey: Buffer;
}

export function connect(
  node: SimNode,
  privateKey: string,
  extra: Partial<ConnectConfig> = {},
): Promise<Connected> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let hostKey: Buffer = Buffer.alloc(0);
    client
      .on('ready', () => resolve({ client, hostKey }))
      .on('error', reject)
      .connect({
        host: node.host,
        port: node.port,
        username: node.user,
        privateKey,
        readyTimeout: 5000,
        hostVerifier: (key: Buffer) => {
          hostKey = key;
          return true;
        },
        ...extra,
      });
  });
}

export interface ExecOutput {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export function exec(client: Client, command: string, stdin?: string): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      const out: ExecOutput = { code: null, signal: null, stdout: '', stderr: '' };
      stream.on('data', (d: Buffer) => (out.stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
      stream.on('exit', (code: number | null, signal?: string) => {
        out.code = code;
        out.signal = signal ?? null;
      });
      stream.on('close', () => resolve(out));
      stream.end(stdin);
    });
  });
}

/** Runs a command and returns stdout, failing with its stderr when it exits non-zero. */
export async function runOk(c: Client, cmd: string): Promise<string> {
  const r = await exec(c, cmd);
  if (r.code !== 0) throw new Error(`${cmd} → ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A two-node cluster for one test file, with a client connected to each node; registers its own
 * beforeAll/afterAll. Read the fields inside tests (they are set once the cluster is up).
 */
export function twoNodeCluster(opts: Partial<SimClusterOptions> = {}): {
  tc: TestCluster;
  head: Client;
  second: Client;
} {
  const ctx = {} as { tc: TestCluster; head: Client; second: Client };
  beforeAll(async () => {
    ctx.tc = await startTestCluster(opts);
    ctx.head = (await connect(ctx.tc.sim.nodes[0]!, ctx.tc.privateKey)).client;
    ctx.second = (await connect(ctx.tc.sim.nodes[1]!, ctx.tc.privateKey)).client;
  });
  afterAll(async () => {
    ctx.head.end();
    ctx.second.end();
    await ctx.tc.dispose();
  });
  return ctx;
}

/** A multipart body for the speech fakes: strings become fields, blobs file parts. */
export function formData(fields: Record<string, string | Blob>, filename = 'audio.wav'): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, v, filename);
  }
  return fd;
}

/** True when nothing listens at the URL's port (connection refused). */
export function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    (e: { cause?: { code?: string } }) => e.cause?.code === 'ECONNREFUSED',
  );
}

/** Polls `check` (up to ~4 s) until it holds, then asserts it. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await check()).toBe(true);
}
