// Entry point: load config → run the server (runner.ts: store, cluster, buildApp, listen; restart
// in place from the settings page) → stop on SIGINT/SIGTERM. With no cluster configured it starts
// the built-in simulated cluster in this process.
import { join, sep } from 'node:path';
import { ConfigError, loadConfig } from './config/load.js';
import type { AppConfig } from './config/types.js';
import { createLogger } from './platform/log.js';
import { runServer } from './runner.js';

const log = createLogger(process.env.LOG_LEVEL ?? 'info');

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

  const server = await runServer(config, {
    env: process.env,
    log,
    // dist/server/main.js serves dist/web; `npm run dev` (src/server) serves the last web build.
    webRoot: join(
      import.meta.dirname,
      import.meta.dirname.includes(`${sep}dist${sep}`) ? '..' : '../../dist',
      'web',
    ),
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
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  log.fatal({ err: e }, 'start-up failed');
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
