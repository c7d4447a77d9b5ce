// The server's life: boot (store, SSH pool or the built-in simulated cluster, buildApp, listen),
// stop, and restart in place — the settings page's "Restart" closes everything gracefully and
// boots again from the config file, in the same process, so it works the same under `npm start`,
// Docker and StartOS without a supervisor. main.ts adds signals and exit codes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadConfig } from './config/load.js';
import { withSimulatedNodes } from './config/simulated.js';
import type { AppConfig } from './config/types.js';
import { buildApp } from './app.js';
import { loadOrCreateKeyPair } from './platform/remote/keys.js';
import { KnownHosts } from './platform/remote/known-hosts.js';
import { createSshTransport } from './platform/remote/ssh-pool.js';
import { openStore } from './platform/store/db.js';
import { bridgeSshNodes } from './modules/services/index.js';
// Types only (erased): the simulator itself is imported on demand, see loadSimulator.
import type { startSimCluster } from '../sim/index.js';

type Env = Record<string, string | undefined>;

export interface RunOptions {
  env: Env;
  log: Logger;
  /** Built dashboard to serve (dist/web); null: none. */
  webRoot: string | null;
}

export interface RunningServer {
  /** Where it listens (the same address across restarts). */
  readonly url: string;
  /** Closes everything and boots again from the config file (the old settings if it fails to load). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Instance {
  url: string;
  close(): Promise<void>;
}

/**
 * The built-in simulated cluster, or null when this build leaves it out (the production container
 * image ships no dist/sim unless built with WITH_SIMULATOR=1). Imported on demand so the server
 * starts without it; `.ts` covers `npm run dev` (tsx), which maps the `.js` import to the source.
 */
async function loadSimulator() {
  const present = ['index.js', 'index.ts'].some((f) =>
    existsSync(fileURLToPath(new URL(`../sim/${f}`, import.meta.url))),
  );
  if (!present) return null;
  const [cluster, nim] = await Promise.all([import('../sim/index.js'), import('../sim/nim.js')]);
  return { startSimCluster: cluster.startSimCluster, SIM_NGC_KEY: nim.SIM_NGC_KEY };
}

async function boot(config: AppConfig, o: RunOptions, restart: () => void): Promise<Instance> {
  const { env, log } = o;
  const keys = loadOrCreateKeyPair(config.data_dir);
  let sim: Awaited<ReturnType<typeof startSimCluster>> | null = null;
  const simulator = config.simulated ? await loadSimulator() : null;
  if (config.simulated && !simulator) {
    // No Sparks and no simulator: start anyway (an empty dashboard), so the owner can add them.
    config = { ...config, simulated: false };
    log.warn(
      "No Sparks are configured: open the dashboard's Settings to add them (or set SPARK1_HOST and SPARK1_USER), then restart. This build has no simulated cluster.",
    );
  }
  if (simulator) {
    const speed = Number(env.SIM_SPEED ?? '1');
    sim = await simulator.startSimCluster({
      dataDir: join(config.data_dir, 'sim'),
      authorizedKeys: [keys.publicKey],
      speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
      // The simulated nvcr.io accepts the configured NGC key (or its own demo key when none is set).
      ngcKey: config.secrets.ngc_api_key ?? undefined,
      // …and its Qdrant requires the configured Qdrant key, so the demo exercises it end to end.
      qdrantApiKey: config.secrets.qdrant_api_key ?? undefined,
      parakeetApi: env.SIM_PARAKEET_API === 'nim' ? 'nim' : 'parakeet-app',
      // How long a node woken by Wake-on-LAN takes to boot (tests lengthen it to see "waking").
      wakeDelayMs: /^\d{1,6}$/.test(env.SIM_WAKE_DELAY_MS ?? '') ? Number(env.SIM_WAKE_DELAY_MS) : undefined,
    });
    config = withSimulatedNodes(config, sim);
    // Demo mode: the NIM installer works out of the box against the simulated registry.
    if (!config.secrets.ngc_api_key)
      config = { ...config, secrets: { ...config.secrets, ngc_api_key: simulator.SIM_NGC_KEY } };
    log.warn(
      'No Sparks are configured: running the built-in simulated cluster (see README, "Connect your real Sparks").',
    );
  }
  const db = openStore(config.data_dir);
  const transport = createSshTransport({
    nodes: [
      ...config.nodes.map((n) => ({ name: n.name, host: n.host, port: n.ssh_port, user: n.user })),
      // matrix-bridge's Update logs in as MATRIX_BRIDGE_USER when that is another user.
      ...bridgeSshNodes(config),
    ],
    privateKey: keys.privateKey,
    knownHosts: new KnownHosts(config.data_dir),
    logger: log.child({ component: 'ssh' }),
  });
  const close = async () => {
    await transport.close();
    db.close();
    await sim?.stop();
  };
  try {
    const app = await buildApp({
      config,
      db,
      transport,
      keys,
      logger: log,
      webRoot: o.webRoot,
      sim: sim?.faults ?? null,
      env,
      restart,
    });
    const url = await app.listen({ port: config.port, host: config.host });
    log.info(`Spark Control ${config.simulated ? '(simulated cluster) ' : ''}listening on ${url}`);
    return {
      url,
      async close() {
        // The app first: event streams get server_shutdown, requests finish, pollers stop.
        await app.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Boots on `config` (loaded by the caller, so start-up errors are the caller's to explain). */
export async function runServer(config: AppConfig, o: RunOptions): Promise<RunningServer> {
  let loaded = config;
  let ops: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const queue = (op: () => Promise<void>): Promise<void> => {
    const run = ops.then(op);
    ops = run.catch(() => undefined);
    return run;
  };
  const requestRestart = () => {
    void server.restart().catch((e: unknown) => {
      // Neither the new nor the old settings came up: nothing is left to serve on.
      o.log.fatal({ err: e }, 'restart failed; exiting');
      process.exit(1);
    });
  };
  let current = await boot(loaded, o, requestRestart);
  const server: RunningServer = {
    get url() {
      return current.url;
    },
    restart: () =>
      queue(async () => {
        if (stopped) return;
        o.log.info('restarting in place with the saved settings');
        let next = loaded;
        try {
          const fresh = loadConfig(o.env);
          for (const w of fresh.warnings) o.log.warn(w);
          next = fresh.config;
        } catch (e) {
          // POST /api/restart checked the file first; this covers an edit in the moment between.
          o.log.error(
            `the config file no longer loads; restarting on the running settings: ${(e as Error).message}`,
          );
        }
        // The same address: with PORT=0 the kernel's pick is kept, so clients find it again.
        const port = Number(new URL(current.url).port);
        await current.close();
        try {
          current = await boot({ ...next, port }, o, requestRestart);
          loaded = next;
        } catch (e) {
          o.log.error({ err: e }, 'the new settings did not start; starting on the previous ones');
          current = await boot({ ...loaded, port }, o, requestRestart);
        }
      }),
    stop: () =>
      queue(async () => {
        if (stopped) return;
        stopped = true;
        await current.close();
      }),
  };
  return server;
}
