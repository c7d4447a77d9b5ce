// Builds one simulated Spark on disk and in memory: its home, host key, shims, host facts,
// container records and sshd. Layout under <dataDir>/nodes/<name>/:
//   home/                 $HOME for every command (with ~/.cache/huggingface/hub)
//   ssh_host_ed25519_key  persisted so the host key survives restarts and nodeUp
//   shims/bin, shims/lib  the fake tools, first on PATH (container-bin: tools inside containers)
//   state/                what the shims read (facts, containers, logs, gpu-procs, ip, fs overlay)
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeContainers } from './containers.js';
import { hostFacts, type HostFacts, writeHostFacts } from './host-facts.js';
import { type KeyChecker, loadOrCreateHostKey, withAuthorizedKeysFile } from './host-key.js';
import { SshNode } from './ssh-node.js';

export interface NodeParts {
  name: string;
  home: string;
  stateDir: string;
  facts: HostFacts;
  ssh: SshNode;
  containers: NodeContainers;
}

export interface NodeParams {
  dataDir: string;
  name: string;
  index: number;
  user: string;
  speed: number;
  checkKey: KeyChecker;
  controlUrl: string;
}

/** The shims ship as plain files beside this module (src/sim/shims); a build without them falls back to src. */
export function shimSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'shims'), join(here, '../../src/sim/shims')]) {
    if (existsSync(join(dir, 'bin', 'docker'))) return dir;
  }
  throw new Error(`simulator shims not found next to ${here}`);
}

export function createSimNode(p: NodeParams): NodeParts {
  const root = join(p.dataDir, 'nodes', p.name);
  const home = join(root, 'home');
  const stateDir = join(root, 'state');
  const shims = join(root, 'shims');
  mkdirSync(join(home, '.cache', 'huggingface', 'hub'), { recursive: true });
  // State and shims are rebuilt on every start; home and the host key persist.
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(shims, { recursive: true, force: true });
  cpSync(shimSource(), shims, { recursive: true });
  for (const dir of ['bin', 'container-bin']) {
    for (const f of readdirSync(join(shims, dir))) chmodSync(join(shims, dir, f), 0o755);
  }

  const facts = hostFacts(p.name, p.index);
  writeHostFacts(stateDir, facts, p.user);
  const ssh = new SshNode({
    name: p.name,
    user: p.user,
    hostKey: loadOrCreateHostKey(join(root, 'ssh_host_ed25519_key')),
    checkKey: withAuthorizedKeysFile(p.checkKey, join(home, '.ssh', 'authorized_keys')),
    home,
    env: {
      HOME: home,
      USER: p.user,
      LOGNAME: p.user,
      SHELL: '/bin/bash',
      PATH: `${join(shims, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
      LANG: 'C.UTF-8',
      SIM_NODE: p.name,
      SIM_STATE: stateDir,
      SIM_CONTROL_URL: p.controlUrl,
    },
  });
  const containers = new NodeContainers(stateDir, facts.hostname, p.speed);
  containers.refreshGpu();
  return { name: p.name, home, stateDir, facts, ssh, containers };
}
