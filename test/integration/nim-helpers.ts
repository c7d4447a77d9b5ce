// A control plane on the simulated cluster with the NIM installer's registry seam captured, and
// readers for install jobs: the whole log from the job stream, the final state.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { JobInfo } from '../../src/common/api.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config/load.js';
import { withSimulatedNodes } from '../../src/server/config/simulated.js';
import type { NimServiceDef } from '../../src/server/modules/nim/index.js';
import { loadOrCreateKeyPair } from '../../src/server/platform/remote/keys.js';
import { KnownHosts } from '../../src/server/platform/remote/known-hosts.js';
import { createSshTransport } from '../../src/server/platform/remote/ssh-pool.js';
import { openStore } from '../../src/server/platform/store/db.js';
import { SIM_NGC_KEY } from '../../src/sim/nim.js';
import { startSimCluster, type SimCluster } from '../../src/sim/index.js';
import { getJson, restartablePlane, waitFor } from '../helpers/harness.js';

export { SIM_NGC_KEY };

export async function startNimCluster(
  o: {
    ngcKey?: string | null;
    speed?: number;
    parakeetApi?: 'parakeet-app' | 'nim';
    startSamplers?: boolean;
    /** The app's logger, also the SSH pool's as in production (tests that read what the server logs). */
    logger?: Logger;
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-nim-'));
  const keys = loadOrCreateKeyPair(dataDir);
  const sim: SimCluster = await startSimCluster({
    nodes: 2,
    speed: o.speed ?? 0.05,
    dataDir: join(dataDir, 'sim'),
    authorizedKeys: [keys.publicKey],
    parakeetApi: o.parakeetApi,
  });
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' };
  if (o.ngcKey !== null) env.NGC_API_KEY = o.ngcKey ?? SIM_NGC_KEY;
  const config = withSimulatedNodes(loadConfig(env).config, sim);
  const registered: NimServiceDef[] = [];
  const boot = async () => {
    const db = openStore(dataDir);
    const transport = createSshTransport({
      nodes: config.nodes.map((n) => ({ name: n.name, host: n.host, port: n.ssh_port, user: n.user })),
      privateKey: keys.privateKey,
      knownHosts: new KnownHosts(dataDir),
      failureCooldownMs: 500,
      logger: o.logger?.child({ component: 'ssh' }),
    });
    const app = await buildApp({
      config,
      db,
      transport,
      keys,
      sim: sim.faults,
      logger: o.logger,
      startSamplers: o.startSamplers ?? false,
      timings: { hardwareIntervalMs: 300, statusIntervalMs: 300, ssePingMs: 1000 },
      registerService: (def) => {
        registered.push(def);
      },
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { db, transport, app, url };
  };
  const plane = await restartablePlane(boot, { sim, config, dataDir, registered }, async () => {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return plane;
}

export type NimCluster = Awaited<ReturnType<typeof startNimCluster>>;

/** A loopback port nobody listens on right now (the fake NIM binds it on the simulated node). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

export const post = (url: string, body: unknown) =>
  getJson<Record<string, unknown>>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export async function waitJob(c: NimCluster, id: string, timeoutMs = 60_000): Promise<JobInfo> {
  return waitFor(async () => {
    const { body } = await getJson<JobInfo>(`${c.url}/api/jobs/${id}`);
    return body.state === 'running' ? null : body;
  }, timeoutMs);
}

/** The job's whole log as the SSE stream replays it (the raw text of the stream, events and all). */
export async function jobStreamText(c: NimCluster, id: string): Promise<string> {
  const res = await fetch(`${c.url}/api/jobs/${id}/stream`);
  return res.text();
}

/** Every process's argv on this machine right now (the simulated nodes' processes are real). */
export function allArgv(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone already
    }
  }
  return out;
}

export async function nodeExec(c: NimCluster, node: string, cmd: string) {
  const { raw } = await import('../../src/server/platform/remote/sh.js');
  return c.transport.exec(node, raw(cmd), { timeoutMs: 15_000 });
}
