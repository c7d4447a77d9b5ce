// The simulated cluster: N fake DGX Sparks (real SSH, real bash, GB10-shaped tools) and a fake
// vLLM on the head node, all on 127.0.0.1. The control plane cannot tell it from real Sparks
// except by the addresses in its config. See ARCHITECTURE.md, "The simulated cluster".
import { join } from 'node:path';
import { type ContainerOp, type ControlTarget, startControlApi } from './control-api.js';
import { sleep, writeAtomic } from './fsutil.js';
import { makeKeyChecker } from './host-key.js';
import { speechLog, speechSpecs, vllmNodeSpec } from './services.js';
import { createSimNode, type NodeParts } from './sim-node.js';
import { VllmEngine } from './vllm/engine.js';
import { VllmServer } from './vllm/server.js';

export interface SimClusterOptions {
  /** Node count or names; default 2 → ['spark1', 'spark2']. The first node is the head. */
  nodes?: number | string[];
  /** Scales every delay: 1 = realistic demo (~20 s model load), tests use ~0.05. */
  speed?: number;
  /** Node homes, host keys and state live here; host keys are reused across starts. */
  dataDir: string;
  /** OpenSSH public key lines accepted for login; anything else is refused. */
  authorizedKeys: string[];
  user?: string;
  /** The model vLLM serves from the start. */
  defaultModel?: string;
  /** 0 = ephemeral (default). */
  vllmPort?: number;
}

export interface SimNode {
  name: string;
  host: '127.0.0.1';
  port: number;
  user: string;
  home: string;
  mac: string;
}

export interface SimCluster {
  nodes: SimNode[];
  vllm: { port: number; url: string };
  controlUrl: string;
  faults: {
    nodeDown(name: string): Promise<void>;
    nodeUp(name: string): Promise<void>;
    setLatency(name: string, ms: number): void;
    hangSsh(name: string, on: boolean): void;
    vllmDown(): void;
    vllmUp(): void;
  };
  stop(): Promise<void>;
}

export const DEFAULT_MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';

function nodeNames(nodes: number | string[] | undefined): string[] {
  const names = Array.isArray(nodes) ? nodes : Array.from({ length: nodes ?? 2 }, (_, i) => `spark${i + 1}`);
  if (names.length === 0) throw new Error('a simulated cluster needs at least one node');
  for (const n of names) if (!/^[A-Za-z0-9_-]+$/.test(n)) throw new Error(`invalid node name: ${n}`);
  if (new Set(names).size !== names.length) throw new Error('node names must be unique');
  return names;
}

export async function startSimCluster(opts: SimClusterOptions): Promise<SimCluster> {
  const names = nodeNames(opts.nodes);
  const speed = opts.speed ?? 1;
  const user = opts.user ?? 'spark';
  const checkKey = makeKeyChecker(opts.authorizedKeys);
  const parts = new Map<string, NodeParts>();
  const get = (name: string): NodeParts => {
    const p = parts.get(name);
    if (!p) throw new Error(`no such node: ${name}`);
    return p;
  };

  const headName = names[0] as string;
  const engine = new VllmEngine({
    speed,
    log: (lines, at) => get(headName).containers.log('vllm_node', lines, at),
    port: (): number => server.port,
  });
  const server = new VllmServer(engine, speed, opts.vllmPort ?? 0);
  const faults: SimCluster['faults'] = {
    async nodeDown(name) {
      await get(name).ssh.down();
      if (name === headName) engine.setHostUp(false);
    },
    async nodeUp(name) {
      await get(name).ssh.listen();
      if (name === headName) engine.setHostUp(true);
    },
    setLatency(name, ms) {
      get(name).ssh.latencyMs = ms;
    },
    hangSsh: (name, on) => get(name).ssh.setHang(on),
    vllmDown: () => engine.setFault(true),
    vllmUp: () => engine.setFault(false),
  };
  const target: ControlTarget = {
    ...faults,
    hasNode: (name) => parts.has(name),
    containerOp: (node: string, container: string, op: ContainerOp) => get(node).containers.op(container, op),
    state: () => ({
      nodes: [...parts.values()].map((p) => ({
        name: p.name,
        port: p.ssh.port,
        up: p.ssh.up,
        hung: p.ssh.hung,
        latency_ms: p.ssh.latencyMs,
        hostname: p.facts.hostname,
        containers: p.containers.list(),
      })),
      vllm: { port: server.port, ...engine.snapshot() },
    }),
  };
  const control = await startControlApi(target);

  async function stop(): Promise<void> {
    for (const p of parts.values()) p.containers.close();
    await Promise.all([...parts.values()].map((p) => p.ssh.close()));
    await server.close();
    engine.close();
    await control.close();
    // SIGKILL is asynchronous; wait (briefly) until every process group is really gone.
    for (let i = 0; i < 50 && [...parts.values()].some((p) => p.ssh.groups.alive().length > 0); i++) {
      await sleep(20);
    }
  }

  try {
    names.forEach((name, index) => {
      parts.set(
        name,
        createSimNode({ dataDir: opts.dataDir, name, index, user, speed, checkKey, controlUrl: control.url }),
      );
    });
    const head = get(headName);
    engine.on('change', () => head.containers.refreshGpu());
    engine.on('busy', (busy: boolean) => writeAtomic(join(head.stateDir, 'gpu-busy'), busy ? '1\n' : '0\n'));

    // The cluster has been up for a while when the simulation starts, so the demo looks lived-in.
    const since = new Date(Date.now() - 2 * 3600_000);
    head.containers.add(vllmNodeSpec(engine, head.home), since);
    await server.start(); // binds the port first: vLLM's startup log prints it
    engine.serveNow(opts.defaultModel ?? DEFAULT_MODEL, new Date(since.getTime() + 4000));
    const second = names[1] ? get(names[1]) : undefined;
    for (const spec of second ? speechSpecs() : []) second?.containers.add(spec, since, speechLog(spec.name));
    second?.containers.refreshGpu();
    await server.sync();
    await Promise.all([...parts.values()].map((p) => p.ssh.listen()));
  } catch (err) {
    await stop(); // a half-started cluster must not leave listeners behind
    throw err;
  }

  const vllmPort = server.port;
  return {
    nodes: [...parts.values()].map((p) => ({
      name: p.name,
      host: '127.0.0.1',
      port: p.ssh.port,
      user,
      home: p.home,
      mac: p.facts.mac,
    })),
    vllm: { port: vllmPort, url: `http://127.0.0.1:${vllmPort}` },
    controlUrl: control.url,
    faults,
    stop,
  };
}
