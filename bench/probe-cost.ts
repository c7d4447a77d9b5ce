// Where a probe's time goes on a simulated node: each command of the probe script timed alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateKeyPair } from '../src/server/platform/remote/keys.js';
import { KnownHosts } from '../src/server/platform/remote/known-hosts.js';
import { raw, sh } from '../src/server/platform/remote/sh.js';
import { createSshTransport } from '../src/server/platform/remote/ssh-pool.js';
import { HARDWARE_PROBE_SCRIPT } from '../src/server/modules/nodes/hardware/probe-script.js';
import { startSimProcess } from './sim-process.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-cost-'));
const keys = loadOrCreateKeyPair(dir);
const sim = await startSimProcess({ nodes: 1, dataDir: dir, publicKey: keys.publicKey });
const t = createSshTransport({
  nodes: sim.nodes.map((n) => ({ name: n.name, host: n.host, port: n.port, user: n.user })),
  privateKey: keys.privateKey,
  knownHosts: new KnownHosts(dir),
});
const cmds = [
  'true',
  'hostname',
  'cat /proc/meminfo',
  'cat /proc/loadavg',
  'nproc',
  'df -B1 --output=target,size,used,avail / ',
  'nvidia-smi --query-gpu=name,utilization.gpu,temperature.gpu,power.draw,memory.total,memory.used --format=csv,noheader,nounits',
  'nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits',
  'ip -o -4 route show default',
  'ip -o link show type wireguard',
  'ip -o -4 addr show',
  HARDWARE_PROBE_SCRIPT,
];
for (const c of cmds) {
  await t.exec('spark1', sh`${raw(c)}`);
  const s = performance.now();
  for (let i = 0; i < 20; i++) await t.exec('spark1', sh`${raw(c)}`);
  console.log(
    ((performance.now() - s) / 20).toFixed(1).padStart(6),
    'ms ',
    c.slice(0, 60).replace(/\n/g, ' '),
  );
}
await t.close();
await sim.stop();
