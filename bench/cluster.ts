// A simulated cluster in its own process plus the control plane's pieces in this one (config,
// SSH pool, store), as the benchmarks need them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/server/config/load.js';
import { withSimulatedNodes } from '../src/server/config/simulated.js';
import { loadOrCreateKeyPair } from '../src/server/platform/remote/keys.js';
import { KnownHosts } from '../src/server/platform/remote/known-hosts.js';
import { createSshTransport } from '../src/server/platform/remote/ssh-pool.js';
import { openStore } from '../src/server/platform/store/db.js';
import { startSimProcess } from './sim-process.js';

export async function cluster(nodes: number, speed = 0.05) {
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
