// The simulator in its own process and the control plane in this one: a restart of the control
// plane (close + build again on the same data directory) leaves the Sparks' containers and vLLM
// running exactly as a real restart would, while the tests can still drive faults over the
// simulator's control API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimProcess, type SimProcess } from '../../bench/sim-process.js';
import { loadConfig } from '../../src/server/config/load.js';
import { withSimulatedNodes, type SimTopology } from '../../src/server/config/simulated.js';
import type { AppConfig } from '../../src/server/config/types.js';
import { bootControlPlane, restartablePlane, type ControlPlane } from './harness.js';
import { loadOrCreateKeyPair } from '../../src/server/platform/remote/keys.js';

export interface SplitCluster extends ControlPlane {
  config: AppConfig;
  sim: SimProcess;
  /** Closes the control plane (its shutdown path, as on SIGTERM) and starts a new one. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startSplitCluster(o: { nodes?: number; speed?: number } = {}): Promise<SplitCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-split-'));
  const keys = loadOrCreateKeyPair(dataDir);
  const sim = await startSimProcess({
    nodes: o.nodes ?? 2,
    dataDir,
    publicKey: keys.publicKey,
    speed: o.speed ?? 0.05,
  });
  const config = withSimulatedNodes(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }).config,
    sim as unknown as SimTopology,
  );
  return restartablePlane(
    () => bootControlPlane({ dataDir, config, keys }),
    { config, sim },
    async () => {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
}
