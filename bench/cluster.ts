// A simulated cluster in its own process plus the control plane's pieces in this one (config,
// SSH pool, store), as the benchmarks need them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as LoadModule from '../src/server/config/load.js';
import type * as SimulatedModule from '../src/server/config/simulated.js';
import type * as KeysModule from '../src/server/platform/remote/keys.js';
import type * as KnownHostsModule from '../src/server/platform/remote/known-hosts.js';
import type * as SshPoolModule from '../src/server/platform/remote/ssh-pool.js';
import type * as DbModule from '../src/server/platform/store/db.js';
import { serverModules, type ServerModules } from './production-build.js';
import { startSimProcess } from './sim-process.js';

/**
 * `load`: where the control plane's modules come from (a production build, or this checkout's
 * sources); the app a benchmark builds must come from the same place, so both sides share one
 * copy of every module.
 */
export async function cluster(nodes: number, speed = 0.05, load: ServerModules = serverModules()) {
  const { loadConfig } = await load<typeof LoadModule>('config/load.js');
  const { withSimulatedNodes } = await load<typeof SimulatedModule>('config/simulated.js');
  const { loadOrCreateKeyPair } = await load<typeof KeysModule>('platform/remote/keys.js');
  const { KnownHosts } = await load<typeof KnownHostsModule>('platform/remote/known-hosts.js');
  const { createSshTransport } = await load<typeof SshPoolModule>('platform/remote/ssh-pool.js');
  const { openStore } = await load<typeof DbModule>('platform/store/db.js');
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
  const keys = loadOrCreateKeyPair(dir);
  const sim = await startSimProcess({ nodes, dataDir: dir, publicKey: keys.publicKey, speed });
  const config = withSimulatedNodes(loadConfig({ DATA_DIR: dir }).config, sim);
  const transport = createSshTransport({
    nodes: config.nodes.map((n) => ({ name: n.name, host: n.host, port: n.ssh_port, user: n.user })),
    privateKey: keys.privateKey,
    knownHosts: new KnownHosts(dir),
  });
  const db = openStore(dir);
  return {
    dir,
    sim,
    config,
    keys,
    transport,
    db,
    async close() {
      await transport.close();
      db.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
