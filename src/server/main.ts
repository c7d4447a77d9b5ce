// Composition root: load config → open store → connect cluster → buildApp → listen.
// With no cluster configured it starts the built-in simulated cluster in this process.
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config/load.js';
import { withSimulatedNodes } from './config/simulated.js';
import type { AppConfig } from './config/types.js';
import { buildApp } from './app.js';
import { loadOrCreateKeyPair } from './platform/remote/keys.js';
import { KnownHosts } from './platform/remote/known-hosts.js';
import { createSshTransport } from './platform/remote/ssh-pool.js';
import { openStore } from './platform/store/db.js';
import { bridgeSshNodes } from './modules/services/index.js';
import { createLogger } from './platform/log.js';
// Types only (erased): the simulator itself is imported on demand, see loadSimulator.
import type { startSimCluster } from '../sim/index.js';

const log = createLogger(process.env.LOG_LEVEL ?? 'info');

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

/** Stop within this even when something hangs: supervisors (systemd, Docker, StartOS) wait ~10 s. */
const SHUTDOWN_GRACE_MS = 4_000;

async function main() {
  let config: AppConfig;
  try {
    const loaded = loadConfig(process.env);
    config = loaded.config;
    for (const w of loaded.warnings) log.warn(w);
  } catch (e) {
    if (e instanceof ConfigError) {
      // Every problem at once, each at its config key or environment variable; values of secret
      // settings are never quoted. Exit code 2: a supervisor should not restart into the same error.
      console.error(
        `${e.message}\nFix these in the config file (CONFIG_FILE, default $DATA_DIR/config.yaml) or the environment and start again; README "Configuration reference" lists the rules.`,
      );
      process.exit(2);
    }
    throw e;
  }

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
    const speed = Number(process.env.SIM_SPEED ?? '1');
    sim = await simulator.startSimCluster({
      dataDir: join(config.data_dir, 'sim'),
      authorizedKeys: [keys.publicKey],
      speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
      // The simulated nvcr.io accepts the configured NGC key (or its own demo key when none is set).
      ngcKey: config.secrets.ngc_api_key ?? undefined,
      parakeetApi: process.env.SIM_PARAKEET_API === 'nim' ? 'nim' : 'parakeet-app',
      // How long a node woken by Wake-on-LAN takes to boot (tests lengthen it to see "waking").
      wakeDelayMs: /^\d{1,6}$/.test(process.env.SIM_WAKE_DELAY_MS ?? '')
        ? Number(process.env.SIM_WAKE_DELAY_MS)
        : undefined,
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
  const app = await buildApp({
    config,
    db,
    transport,
    keys,
    logger: log,
    // dist/server/main.js serves dist/web; `npm run dev` (src/server) serves the last web build.
    webRoot: join(
      import.meta.dirname,
      import.meta.dirname.includes(`${sep}dist${sep}`) ? '..' : '../../dist',
      'web',
    ),
    sim: sim?.faults ?? null,
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    // A backstop: whatever still holds on (a stuck socket, a slow SSH close), the process ends.
    setTimeout(() => {
      log.warn('shutdown took too long; exiting anyway');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await transport.close();
    db.close();
    await sim?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ port: config.port, host: config.host });
  log.info(`Spark Control ${config.simulated ? '(simulated cluster) ' : ''}listening on ${address}`);
}

main().catch((e: unknown) => {
  log.fatal({ err: e }, 'start-up failed');
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
