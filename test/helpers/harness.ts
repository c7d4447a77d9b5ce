// Integration harness: the real server (buildApp) on a temp database, talking over real SSH to
// the simulator's real SSH servers, which run commands in real bash. Nothing of ours is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config/load.js';
import { withSimulatedNodes } from '../../src/server/config/simulated.js';
import type { AppConfig } from '../../src/server/config/types.js';
import { loadOrCreateKeyPair } from '../../src/server/platform/remote/keys.js';
import { KnownHosts } from '../../src/server/platform/remote/known-hosts.js';
import { createSshTransport } from '../../src/server/platform/remote/ssh-pool.js';
import type { NodeTransport } from '../../src/server/platform/remote/transport.js';
import { openStore, type Db } from '../../src/server/platform/store/db.js';
import { startSimCluster, type SimCluster } from '../../src/sim/index.js';

export interface TestCluster {
  url: string;
  app: FastifyInstance;
  sim: SimCluster;
  config: AppConfig;
  transport: NodeTransport;
  db: Db;
  dataDir: string;
  /** Closes the app (as a control-plane restart would) and builds a new one on the same data. */
  /** Closes the plane and boots it again on the same data; `whileStopped` runs in between. */
  restart(whileStopped?: () => unknown): Promise<void>;
  close(): Promise<void>;
}

export interface TestClusterOptions {
  nodes?: number;
  speed?: number;
  timings?: AppDeps['timings'];
  startSamplers?: boolean;
  failureCooldownMs?: number;
  /** false: the simulated Sparks do not authorize the control plane's key (auth failure tests). */
  authorizeControlPlane?: boolean;
  /** Runs after the simulator starts and before the SSH pool is created (e.g. to pre-pin host keys). */
  beforeConnect?: (ctx: { dataDir: string; sim: SimCluster }) => void;
  /** Extra environment for loadConfig (e.g. SWAP_WEBHOOK_URLS). */
  env?: Record<string, string>;
  /** A logger for the app (tests that read what the server logs); silent when left out. */
  logger?: AppDeps['logger'];
  /** Speech-model patch options (a test overlay dir, health-poll timings). */
  speechModels?: AppDeps['speechModels'];
  /** Changes the resolved config before the control plane starts (e.g. where Wake-on-LAN broadcasts). */
  configure?: (config: AppConfig) => AppConfig;
  /** The API key the simulated Qdrant requires (unset: none, Qdrant's default). */
  qdrantApiKey?: string;
  /** How long a simulated Spark woken by Wake-on-LAN takes to boot (default: 3 s × speed). */
  wakeDelayMs?: number;
}

export async function startTestCluster(o: TestClusterOptions = {}): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-it-'));
  const keys = loadOrCreateKeyPair(dataDir);
  const sim = await startSimCluster({
    nodes: o.nodes ?? 2,
    speed: o.speed ?? 0.05,
    dataDir: join(dataDir, 'sim'),
    authorizedKeys: o.authorizeControlPlane === false ? [] : [keys.publicKey],
    qdrantApiKey: o.qdrantApiKey,
    wakeDelayMs: o.wakeDelayMs,
  });
  o.beforeConnect?.({ dataDir, sim });
  const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...o.env };
  const simulated = withSimulatedNodes(loadConfig(env).config, sim);
  const config = o.configure ? o.configure(simulated) : simulated;
  const boot = () =>
    bootControlPlane({
      dataDir,
      config,
      keys,
      sim: sim.faults,
      logger: o.logger,
      startSamplers: o.startSamplers,
      failureCooldownMs: o.failureCooldownMs,
      timings: o.timings,
      speechModels: o.speechModels,
      env,
    });
  return restartablePlane(boot, { sim, config, dataDir }, async () => {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

export interface ControlPlane {
  db: Db;
  transport: NodeTransport;
  app: FastifyInstance;
  url: string;
}

/**
 * How often an idle test cluster's hardware sampler sweeps. Each sweep runs the probe script over
 * real SSH in real bash on every node (~0.16 s of CPU a node): at 300 ms an idle cluster kept a
 * third of a core busy, slowing every other test on a 2-core machine. The first sweep runs at start
 * and the simulator's fault routes ask for one at once, so most tests never wait for the interval.
 */
const IDLE_HARDWARE_INTERVAL_MS = 5000;

/**
 * For tests that wait for the sampler's next look on its own (a node going down or coming back
 * through `sim.faults`, a woken node answering, the connectivity log's hardware reports).
 */
export const WATCHING_HARDWARE = { hardwareIntervalMs: 300 } as const;

/** The control plane on a data directory, listening on a free loopback port (fast test timings). */
export async function bootControlPlane(o: {
  dataDir: string;
  config: AppConfig;
  keys: ReturnType<typeof loadOrCreateKeyPair>;
  sim?: AppDeps['sim'];
  logger?: AppDeps['logger'];
  startSamplers?: boolean;
  failureCooldownMs?: number;
  timings?: AppDeps['timings'];
  speechModels?: AppDeps['speechModels'];
  /** The environment the config was loaded from (the settings page reads env-set keys from it). */
  env?: AppDeps['env'];
}): Promise<ControlPlane> {
  const db = openStore(o.dataDir);
  const transport = createSshTransport({
    nodes: o.config.nodes.map((n) => ({ name: n.name, host: n.host, port: n.ssh_port, user: n.user })),
    privateKey: o.keys.privateKey,
    knownHosts: new KnownHosts(o.dataDir),
    failureCooldownMs: o.failureCooldownMs ?? 500,
  });
  const app = await buildApp({
    config: o.config,
    db,
    transport,
    keys: o.keys,
    sim: o.sim,
    logger: o.logger,
    startSamplers: o.startSamplers,
    timings: {
      hardwareIntervalMs: IDLE_HARDWARE_INTERVAL_MS,
      statusIntervalMs: 300,
      ssePingMs: 1000,
      ...o.timings,
    },
    speechModels: { healthPollMs: 100, ...o.speechModels },
    env: o.env,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { db, transport, app, url };
}

/**
 * A control plane that `restart()` closes and builds again on the same data (what a restart of the
 * process does), with `extra` (the simulator, the config…) kept; `close()` also runs `dispose`.
 */
export async function restartablePlane<T extends object>(
  boot: () => Promise<ControlPlane>,
  extra: T,
  dispose: () => Promise<void>,
): Promise<
  ControlPlane & T & { restart(whileStopped?: () => unknown): Promise<void>; close(): Promise<void> }
> {
  let current = await boot();
  const plane = {
    ...current,
    ...extra,
    async restart(whileStopped?: () => unknown) {
      await shutControlPlane(current);
      await whileStopped?.();
      current = await boot();
      Object.assign(plane, current);
    },
    async close() {
      await shutControlPlane(current);
      await dispose();
    },
  };
  return plane;
}

/** Closes what bootControlPlane opened, as a control-plane shutdown does. */
export async function shutControlPlane(b: ControlPlane): Promise<void> {
  await b.app.close();
  await b.transport.close();
  b.db.close();
}

/** Polls until `fn` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`waitFor timed out${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export async function getJson<T = unknown>(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A counter or gauge of the fake vLLM's Prometheus metrics, summed over its labels. */
export async function vllmMetric(c: Pick<TestCluster, 'sim'>, name: string): Promise<number> {
  const text = await (await fetch(`${c.sim.vllm.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
