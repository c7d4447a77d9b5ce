// The simulated cluster: N fake DGX Sparks (real SSH, real bash, GB10-shaped tools, a real git
// checkout of spark-vllm-docker), a fake vLLM served from the head node, fake Parakeet and Magpie
// in their containers on the second node and a fake embeddings server, all on 127.0.0.1.
// The control plane cannot tell it from real Sparks except by the addresses in its config. See
// ARCHITECTURE.md, "The simulated cluster", and README.md beside this file.
import { appendFileSync, chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ContainerSpec } from './containers.js';
import { ContainerFs, seedParakeetFs, upgradeParakeetFs } from './container-fs.js';
import type { ServiceFaults } from './control-faults.js';
import {
  type ContainerOp,
  type ControlTarget,
  protoLines,
  startControlApi,
  type TextReply,
} from './control-api.js';
import { imageId } from './docker-render.js';
import { seedDemoWeights } from './demo-weights.js';
import { startEmbeddings } from './embeddings.js';
import { startQdrant } from './qdrant.js';
import { sleep, writeAtomic } from './fsutil.js';
import type { HfFault } from './hf-hub.js';
import { makeKeyChecker } from './host-key.js';
import { LauncherRepo, type LauncherVersion } from './launcher-repo.js';
import { SimNim } from './nim.js';
import { BRIDGE_IMAGE, bridgeLog, bridgeSpec, MatrixBridgeRepo } from './matrix-bridge.js';
import { type RayRole, rayCommand } from './ray.js';
import { speechLog, vllmNodeSpec } from './services.js';
import { createSimNode, type NodeParts, shimSource } from './sim-node.js';
import { type SpeechEndpoint, SpeechServices } from './speech/index.js';
import { parseVllmCli, parseWithParser } from './vllm/argparse.js';
import { expandConfigFile, hostPathFor } from './vllm/config-file.js';
import { type ProcIo, VllmEngine } from './vllm/engine.js';
import { VLLM_VERSION } from './vllm/log.js';
import type { VllmFaults } from './vllm/faults.js';
import { VllmServer } from './vllm/server.js';
import { type LanPacket, SimLan } from './lan.js';

export interface SimClusterOptions {
  /** Node count or names; default 2 → ['spark1', 'spark2']. The first node is the head. */
  nodes?: number | string[];
  /** Scales every delay: 1 = realistic demo (a 30 GB model loads in ~36 s), tests use ~0.02-0.05. */
  speed?: number;
  /** Node homes, host keys and state live here; host keys are reused across starts. */
  dataDir: string;
  /** OpenSSH public key lines accepted for login; anything else is refused. */
  authorizedKeys: string[];
  user?: string;
  /** The model vLLM serves from the start (launched solo, as if two hours ago). */
  defaultModel?: string;
  /** Extra `vllm serve` flags of that start (default: the catalog's tool-calling flags for DEFAULT_MODEL). */
  defaultModelFlags?: string[];
  /** 0 = ephemeral (default). The control plane must pass this port to `vllm serve --port`. */
  vllmPort?: number;
  /**
   * Which launch-cluster.sh the head's checkout has: 'current' (default, quotes the exec words
   * with printf %q), 'legacy' (joins them unquoted into bash -c, one commit behind origin/main) or
   * 'no-solo' (older still, without `--solo`; two behind).
   */
  launcherVersion?: LauncherVersion;
  /**
   * Which Parakeet the speech node runs: the seed's custom app (default) or NVIDIA's ASR NIM
   * (`/v1/health/ready`, json/text only, `language` required) — the config's `services.parakeet.api`.
   */
  parakeetApi?: 'parakeet-app' | 'nim';
  /** The NGC key the simulated nvcr.io accepts (default SIM_NGC_KEY). */
  ngcKey?: string;
  /** The API key the fake Qdrant requires (QDRANT__SERVICE__API_KEY); unset: open, Qdrant's default. */
  qdrantApiKey?: string;
  /**
   * The HF caches at start: 'demo' (default) holds the bundled catalog's weights where each model
   * runs, all but the cluster model on the second node (demo-weights.ts); 'none' leaves them empty.
   */
  weights?: 'demo' | 'none';
  /** How long a node woken by a magic packet takes to boot (ms; default 3 s × speed). */
  wakeDelayMs?: number;
}

export interface SimNode {
  name: string;
  host: '127.0.0.1';
  port: number;
  user: string;
  home: string;
  mac: string;
}

export type { SpeechEndpoint } from './speech/index.js';

export interface SimFaultApi extends ServiceFaults {
  nodeDown(name: string): Promise<void>;
  nodeUp(name: string): Promise<void>;
  setLatency(name: string, ms: number): void;
  hangSsh(name: string, on: boolean): void;
  vllmDown(): void;
  vllmUp(): void;
  /** Adds a commit to the launcher's origin/main (the head's checkout falls one more behind); returns its sha. */
  launcherCommit(message: string): string;
  /** Leaves (on) or reverts (off) an uncommitted edit in the head's ~/spark-vllm-docker. */
  dirtyLauncher(on: boolean): void;
  /** Resets the head's checkout to that launcher version (see SimClusterOptions.launcherVersion); returns its sha. */
  launcherVersion(version: LauncherVersion): string;
  /** On: `docker build` (build-and-copy.sh's build) fails midway on every node with BuildKit's error, exit 1. */
  launcherBuildFault(on: boolean): void;
  /** A new commit on the matrix-bridge origin (Update has something to fetch); returns its sha. */
  matrixBridgeCommit(message: string): string;
  /** Leaves (on) or reverts (off) an uncommitted edit in the speech node's ~/matrix-bridge. */
  dirtyMatrixBridge(on: boolean): void;
  /** A download fault for the `hf` shim of one node, or of every node (null node); null fault clears it. */
  hfFault(node: string | null, fault: HfFault | null): void;
  /** false: the node has only the older `huggingface-cli` (no `hf` on its PATH); true restores it. */
  hfCli(node: string, installed: boolean): void;
  /** false: the node has no python3 (its shim answers 127 like bash); true restores it. */
  python3(node: string, installed: boolean): void;
  /** What the service faults are set to now (a restart clears Parakeet's wedge, so it is read, not remembered). */
  faultState(): SimFaultState;
}

export interface SimFaultState {
  parakeetWedged: boolean;
  parakeetFlapping: boolean;
  magpieFailing: boolean;
  nimBadKey: boolean;
  /** An installed ASR NIM is wedged (nimAsrWedge; its restart clears it). */
  nimAsrWedged: boolean;
  /** The overlay files were replaced by parakeetUpgrade(true) (reapply or parakeetUpgrade(false) restores them). */
  parakeetUpgraded: boolean;
  vllmDown: boolean;
  vllm: VllmFaults;
  /** Nodes with a download fault on, by fault. */
  hf: Record<HfFault, string[]>;
  /** `docker build` fails (launcherBuildFault). */
  buildFault: boolean;
}

export interface SimCluster {
  nodes: SimNode[];
  vllm: { port: number; url: string };
  controlUrl: string;
  /** The launcher's bare origin and the head's checkout of it. */
  launcher: { origin: string; checkout: string };
  /** The matrix-bridge bot's origin and its clone (~/matrix-bridge on the speech node). */
  matrixBridge: { origin: string; checkout: string; node: string; container: string };
  /** Parakeet (`parakeet-asr`) and Magpie (`magpie-tts`) on the second node (or the only one). */
  speech: { parakeet: SpeechEndpoint; magpie: SpeechEndpoint };
  /** The standalone OpenAI-shaped embeddings server (not in a container); `set(false)` takes it down. */
  embeddings: { url: string; port: number; set(up: boolean): Promise<void> };
  /**
   * The standalone fake Qdrant with the demo collection (qdrant.ts); `requests` lists what reached it,
   * `requireKey` sets the API key it demands (null: none), as restarting Qdrant with another would.
   */
  qdrant: {
    url: string;
    port: number;
    set(up: boolean): Promise<void>;
    requests(): readonly string[];
    requireKey(key: string | null): void;
  };
  /** The simulated LAN's Wake-on-LAN listener (loopback) and what it heard, newest last. */
  lan: { address: string; port: number; heard: LanPacket[] };
  faults: SimFaultApi;
  stop(): Promise<void>;
}

export const DEFAULT_MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';
/** How the catalog's qwen3-30b-a3b entry enables tool calling (assets/models.yaml). */
const DEFAULT_MODEL_FLAGS = ['--enable-auto-tool-choice', '--tool-call-parser=hermes'];
const VLLM_IMAGE = 'vllm-node';
const VLLM_IMAGE_BYTES = 23_412_000_000;
const QSFP_IFACE = 'enp1s0f0np0';

function nodeNames(nodes: number | string[] | undefined): string[] {
  const names = Array.isArray(nodes) ? nodes : Array.from({ length: nodes ?? 2 }, (_, i) => `spark${i + 1}`);
  if (names.length === 0) throw new Error('a simulated cluster needs at least one node');
  for (const n of names) if (!/^[A-Za-z0-9_-]+$/.test(n)) throw new Error(`invalid node name: ${n}`);
  if (new Set(names).size !== names.length) throw new Error('node names must be unique');
  return names;
}

const text = (status: number, body: string): TextReply => ({ status, text: body });

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
  /** Ray membership per node (`ray start --head` / `--address=…` inside vllm_node). */
  const ray = new Map<string, RayRole>();
  const speechNode = names[1] ?? headName;
  const speech = new SpeechServices({
    speed,
    node: speechNode,
    log: (container, lines) => get(speechNode).containers.log(container, lines),
    parakeetApi: opts.parakeetApi,
  });
  const nim = new SimNim(
    {
      speed,
      stateDir: (node) => get(node).stateDir,
      log: (node, container, lines) => get(node).containers.log(container, lines),
      heard: (pcm) => speech.heard(pcm),
      remember: (pcm, text) => speech.remember(pcm, text),
    },
    opts.ngcKey,
  );
  const embeddings = await startEmbeddings();
  const qdrant = await startQdrant(opts.qdrantApiKey ?? null);
  // A node taken down is asleep: a magic packet with its MAC on the simulated LAN boots it again.
  const lan = new SimLan({
    asleepNodeWithMac: (mac) =>
      [...parts.values()].find((p) => p.facts.mac === mac && !p.ssh.up)?.name ?? null,
    wake: (node) => faults.nodeUp(node),
    bootDelayMs: opts.wakeDelayMs ?? Math.round(3000 * speed),
  });

  const engine = new VllmEngine({
    speed,
    head: headName,
    log: (node, lines, at) => get(node).containers.log('vllm_node', lines, at),
    port: (): number => server.port,
    rayNodes: () => [...ray].sort((a, b) => (a[1] === 'head' ? -1 : b[1] === 'head' ? 1 : 0)).map(([n]) => n),
  });
  const server = new VllmServer(engine, speed, opts.vllmPort ?? 0);
  const vllmSpec = (node: string, o: Parameters<typeof vllmNodeSpec>[3] = {}): ContainerSpec => {
    const spec = vllmNodeSpec(engine, node, get(node).home, o);
    return {
      ...spec,
      onStop: async () => {
        ray.delete(node);
        await spec.onStop?.();
      },
    };
  };

  /** What the ssh shim reads for a target node: `up|down|hung <latency ms>`. */
  const writeSshd = (name: string): void => {
    const p = get(name);
    const state = !p.ssh.up ? 'down' : p.ssh.hung ? 'hung' : 'up';
    writeAtomic(join(p.stateDir, 'sshd'), `${state} ${Math.round(p.ssh.latencyMs)}\n`);
  };

  /**
   * On real Sparks the user's home is the same path on every node, so a path the launcher computes
   * on the head (`-v $HF_CACHE_DIR:…` inside the ssh command for a worker) means the worker's own
   * directory. Simulated homes differ per node: map another node's home onto this node's.
   */
  const rehome = (bind: string, node: string): string => {
    for (const p of parts.values()) {
      if (
        p.name !== node &&
        (bind === p.home || bind.startsWith(`${p.home}/`) || bind.startsWith(`${p.home}:`))
      )
        return get(node).home + bind.slice(p.home.length);
    }
    return bind;
  };
  /**
   * Reads a file as a process in `container` on `node` sees it: through the container's bind
   * mounts (the launcher mounts the HF cache); anything else in the container's own filesystem
   * does not exist in the simulation. Null when missing.
   */
  const containerFileReader =
    (node: string, container: string, throwawayBinds?: string[]) =>
    (path: string): string | null => {
      const binds =
        get(node).containers.binds(container) ??
        (throwawayBinds ?? []).map((b) => rehome(b.replace(/^~/, get(node).home), node));
      const host = hostPathFor(posix.normalize(path), binds);
      if (host === null) return null;
      try {
        return readFileSync(host, 'utf8');
      } catch {
        return null;
      }
    };
  /** Every `vllm` process's argv as received and after --config expansion (null: vLLM stopped there). */
  const recordArgv = (node: string, container: string, argv: string[], expanded: string[] | null): void => {
    try {
      appendFileSync(
        join(get(node).stateDir, 'vllm-argv.jsonl'),
        `${JSON.stringify({ container, argv, expanded })}\n`,
      );
    } catch {
      // the simulation is stopping and its directory is gone
    }
  };

  const launcher = new LauncherRepo(
    opts.dataDir,
    join(shimSource(), 'launcher'),
    join(opts.dataDir, 'nodes', headName, 'home', 'spark-vllm-docker'),
  );
  let parakeetUpgraded = false;
  let buildFault = false;
  const hfFaults = new Map<string, HfFault | null>();
  const bridge = new MatrixBridgeRepo(
    opts.dataDir,
    join(opts.dataDir, 'nodes', speechNode, 'home', 'matrix-bridge'),
  );
  const faults: SimFaultApi = {
    async nodeDown(name) {
      await get(name).ssh.down();
      writeSshd(name);
      engine.setNodeUp(name, false);
      await speech.setNodeUp(name, false);
    },
    async nodeUp(name) {
      await get(name).ssh.listen();
      writeSshd(name);
      engine.setNodeUp(name, true);
      await speech.setNodeUp(name, true);
    },
    setLatency(name, ms) {
      get(name).ssh.latencyMs = ms;
      writeSshd(name);
    },
    hangSsh(name, on) {
      get(name).ssh.setHang(on);
      writeSshd(name);
    },
    vllmDown: () => engine.setFault(true),
    vllmUp: () => engine.setFault(false),
    launcherCommit: (message) => launcher.commit(message),
    dirtyLauncher: (on) => launcher.setDirty(on),
    launcherVersion: (version) => launcher.setVersion(version),
    launcherBuildFault(on) {
      for (const n of names) {
        const file = join(get(n).stateDir, 'build-fault');
        if (on) writeAtomic(file, 'on\n');
        else rmSync(file, { force: true });
      }
      buildFault = on;
    },
    matrixBridgeCommit: (message) => bridge.commit(message),
    dirtyMatrixBridge: (on) => bridge.setDirty(on),
    parakeetWedge: (on) => speech.setFault('parakeet', on),
    parakeetUpgrade: (on) => {
      const fs = new ContainerFs(get(speechNode).stateDir);
      const container = speech.parakeet.container;
      if (on) upgradeParakeetFs(fs, container);
      else seedParakeetFs(fs, container);
      parakeetUpgraded = on;
    },
    parakeetFlap: (on) => speech.setFlap(on),
    hfFault(node, fault) {
      for (const n of node === null ? names : [node]) {
        const file = join(get(n).stateDir, 'hf-fault');
        if (fault) writeAtomic(file, `${fault}\n`);
        else rmSync(file, { force: true });
        hfFaults.set(n, fault);
      }
    },
    hfCli(node, installed) {
      const bin = join(opts.dataDir, 'nodes', get(node).name, 'shims', 'bin', 'hf');
      if (!installed) rmSync(bin, { force: true });
      else {
        copyFileSync(join(shimSource(), 'bin', 'hf'), bin);
        chmodSync(bin, 0o755);
      }
    },
    python3(node, installed) {
      const flag = join(get(node).stateDir, 'no-python3');
      if (installed) rmSync(flag, { force: true });
      else writeAtomic(flag, 'absent\n');
    },
    faultState: () => ({
      hf: {
        'download-fail': names.filter((n) => hfFaults.get(n) === 'download-fail'),
        'disk-full': names.filter((n) => hfFaults.get(n) === 'disk-full'),
      },
      parakeetWedged: speech.parakeet.fault,
      parakeetFlapping: speech.parakeet.flap,
      magpieFailing: speech.magpie.fault,
      nimBadKey: nim.badKey,
      nimAsrWedged: nim.asrWedged,
      parakeetUpgraded,
      buildFault,
      vllmDown: engine.snapshot().fault_down === true,
      vllm: { ...server.faults },
    }),
    magpieFail: (on) => speech.setFault('magpie', on),
    vllmCrashMidStream: (on) => server.setFaults({ crashMidStream: on }),
    vllmError: (status) => server.setFaults({ errorStatus: status }),
    vllmSlowFirstToken: (ms) => server.setFaults({ slowFirstTokenMs: ms }),
    vllmTokenDelay: (ms) => server.setFaults({ tokenDelayMs: ms }),
    vllmDie: (text) => engine.die(text),
    vllmEngineDead: (on) => server.setFaults({ engineDead: on }),
    nimBadKey: (on) => {
      nim.badKey = on;
    },
    nimAsrWedge: (on) => nim.wedgeAsr(on),
  };

  const target: ControlTarget = {
    ...faults,
    hasNode: (name) => parts.has(name),
    containerOp: (node: string, container: string, op: ContainerOp) => get(node).containers.op(container, op),
    async runContainer(node, name, fields) {
      const all = (k: string): string[] => fields.filter(([f]) => f === k).map(([, v]) => v);
      const one = (k: string): string => all(k)[0] ?? '';
      const image = one('image');
      const img = get(node).containers.image(image);
      if (!img) return text(404, `No such image: ${image}:latest`);
      const cmd = all('cmd');
      const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...all('env')];
      const binds = all('bind').map((b) => rehome(b.replace(/^~/, get(node).home), node));
      const ports = all('port');
      const restartPolicy = one('restart') || 'no';
      const plain = {
        name,
        image: img.name,
        imageId: img.id,
        command: cmd,
        env,
        binds,
        ports: ports.join(','),
        restartPolicy,
      };
      const speechSpec = speech.specFor(node, img.name, name);
      const nimSpec = nim.spec(node, plain, ports, restartPolicy);
      const spec: ContainerSpec =
        img.name === VLLM_IMAGE
          ? { ...vllmSpec(node, { command: cmd, env, binds, imageId: img.id }), name }
          : nimSpec
            ? nimSpec
            : speechSpec
              ? { ...speechSpec, ...plain, command: cmd.length > 0 ? cmd : speechSpec.command }
              : plain;
      spec.autoRemove = one('rm') === '1';
      spec.privileged = one('privileged') === '1';
      spec.network = one('network') || 'default';
      const r = await get(node).containers.run(spec);
      if (r.ok) return text(200, r.id);
      return text(
        409,
        `Conflict. The container name "/${name}" is already in use by container "${r.conflict}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    },
    async removeContainer(node, name, force) {
      const r = await get(node).containers.remove(name, force);
      if (r === 'missing') return text(404, `No such container: ${name}`);
      if (r === 'running') {
        return text(
          409,
          `cannot remove container "/${name}": container is running: stop the container before removing or force remove`,
        );
      }
      return text(200, name);
    },
    registry(node, op, body, args) {
      if (op === 'login') return nim.login(node, args.server ?? '', args.user ?? '', body);
      if (op === 'logout') return (nim.logout(node), text(200, 'ok'));
      return nim.manifest(node, body.trim());
    },
    addProc(node, container, pgid) {
      if (!Number.isInteger(pgid) || pgid <= 1) return text(400, 'bad pgid');
      return get(node).containers.addProc(container, pgid)
        ? text(200, 'ok')
        : text(404, `No such container: ${container}`);
    },
    setImage(node, image, id) {
      if (!/^sha256:[0-9a-f]{16,64}$/.test(id)) return text(400, 'bad image id');
      const c = get(node).containers;
      c.setImage({
        name: image,
        id,
        created: new Date(),
        sizeBytes: c.imageById(id)?.sizeBytes ?? c.image(image)?.sizeBytes ?? VLLM_IMAGE_BYTES,
      });
      return text(200, 'ok');
    },
    vllm(node, container, cwd, argv, io, binds) {
      const record = get(node)
        .containers.list()
        .find((x) => x.name === container);
      if (container !== '_' && (record?.status !== 'running' || record.image !== VLLM_IMAGE)) {
        // Only the vllm-node image has vLLM installed.
        io.out(['bash: line 1: vllm: command not found'], 'e');
        return io.exit(127);
      }
      const expanded = expandConfigFile(argv, containerFileReader(node, container, binds));
      recordArgv(node, container, argv, expanded.ok ? expanded.argv : null);
      if (!expanded.ok) {
        io.out(expanded.stderr, 'e');
        return io.exit(expanded.code);
      }
      const parsed = parseVllmCli(expanded.argv, VLLM_VERSION);
      if (!parsed.ok) {
        if (parsed.stdout) io.out(parsed.stdout.replace(/\n$/, '').split('\n'), 'o');
        if (parsed.stderr) io.out(parsed.stderr.replace(/\n$/, '').split('\n'), 'e');
        return io.exit(parsed.code);
      }
      const proc: ProcIo = { out: (lines, stream) => io.out(lines, stream), exit: (code) => io.exit(code) };
      io.onGone(() => engine.processGone(proc));
      engine.serve(parsed.args, { node, home: get(node).home, cwd }, proc);
    },
    python(node, container, script, argv, binds) {
      const prog = /prog\s*=\s*["']([^"']+)["']/.exec(script)?.[1] ?? '-c';
      const expanded = expandConfigFile(argv, containerFileReader(node, container, binds));
      if (!expanded.ok) return text(200, `${protoLines(expanded.stderr, 'e')}x${expanded.code}\n`);
      const r = parseWithParser(expanded.argv, prog);
      if (r.ok) return text(200, `${protoLines(['{"ok": true}'])}x0\n`);
      const out =
        (r.stdout ? protoLines(r.stdout.replace(/\n$/, '').split('\n')) : '') +
        (r.stderr ? protoLines(r.stderr.replace(/\n$/, '').split('\n'), 'e') : '');
      return text(200, `${out}x${r.code}\n`);
    },
    ray: (node, _container, argv) => rayCommand(ray, node, argv),
    state: () => ({
      nodes: [...parts.values()].map((p) => ({
        name: p.name,
        port: p.ssh.port,
        up: p.ssh.up,
        hung: p.ssh.hung,
        latency_ms: p.ssh.latencyMs,
        hostname: p.facts.hostname,
        containers: p.containers.list(),
        ray: ray.get(p.name) ?? null,
      })),
      vllm: { port: server.port, ...engine.snapshot(), faults: server.faults },
      speech: speech.snapshot(),
      nim: nim.snapshot(),
      embeddings: { url: embeddings.url, port: embeddings.port },
      qdrant: { url: qdrant.url, port: qdrant.port },
      launcher: { origin: launcher.origin, checkout: launcher.checkout },
    }),
  };
  const control = await startControlApi(target);

  async function stop(): Promise<void> {
    for (const p of parts.values()) p.containers.close();
    await Promise.all([...parts.values()].map((p) => p.ssh.close()));
    await server.close();
    await speech.close();
    await nim.close();
    await embeddings.close();
    await qdrant.close();
    await lan.close();
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
    if (opts.weights !== 'none')
      seedDemoWeights(
        names,
        names.map((n) => get(n).home),
      );
    const peers = [...parts.values()].map((p) => {
      const qsfp = p.facts.ifaces.find((i) => i.name === QSFP_IFACE)?.ipv4?.addr ?? p.facts.ip;
      return `${p.name}\t${p.facts.ip}\t${qsfp}\t${p.facts.hostname}\n`;
    });
    const since = new Date(Date.now() - 2 * 3600_000);
    await lan.listen();
    for (const p of parts.values()) {
      writeAtomic(join(p.stateDir, 'lan'), `${lan.address} ${lan.port}\n`);
      writeAtomic(join(p.stateDir, 'peers'), peers.join(''));
      writeAtomic(join(p.stateDir, 'speed_permille'), `${Math.max(0, Math.round(speed * 1000))}\n`);
      writeAtomic(join(p.stateDir, 'sshd'), 'down 0\n');
      // Every Spark has the same vllm-node build (build-and-copy.sh copied it), a few days old.
      p.containers.setImage({
        name: VLLM_IMAGE,
        id: imageId(VLLM_IMAGE),
        created: new Date(since.getTime() - 3 * 86_400_000),
        sizeBytes: VLLM_IMAGE_BYTES,
      });
    }
    const refreshAll = (): void => {
      for (const p of parts.values()) p.containers.refreshGpu();
    };
    engine.on('change', refreshAll);
    engine.on('busy', (busy: boolean) => {
      for (const n of engine.nodes) writeAtomic(join(get(n).stateDir, 'gpu-busy'), busy ? '1\n' : '0\n');
    });

    // The cluster has been up for a while when the simulation starts, so the demo looks lived-in:
    // the launcher started vllm_node solo two hours ago and vLLM has been serving since.
    head.containers.add(vllmSpec(headName), since);
    await server.start(); // binds the port first: vLLM's startup log prints it
    const lived = opts.defaultModel ?? DEFAULT_MODEL;
    const livedFlags = opts.defaultModelFlags ?? (lived === DEFAULT_MODEL ? DEFAULT_MODEL_FLAGS : []);
    engine.serveNow(lived, new Date(since.getTime() + 4000), livedFlags);
    // The speech services run on the second node (the only one in a one-node cluster).
    for (const spec of await speech.start()) {
      get(speechNode).containers.setImage({
        name: spec.image.replace(/:latest$/, ''),
        id: imageId(spec.image),
        created: new Date(since.getTime() - 9 * 86_400_000),
        sizeBytes: 9_800_000_000,
      });
      get(speechNode).containers.add(spec, since, speechLog(spec.name, opts.parakeetApi));
    }
    // Its app directory is real files (sha256sum, py_compile, docker cp), in sync with the overlay.
    seedParakeetFs(new ContainerFs(get(speechNode).stateDir), speech.parakeet.container);
    // The owner's matrix-bridge bot, built from its clone with docker compose a while ago.
    get(speechNode).containers.setImage({
      name: BRIDGE_IMAGE,
      id: imageId(BRIDGE_IMAGE),
      created: new Date(since.getTime() - 86_400_000),
      sizeBytes: 412_000_000,
    });
    get(speechNode).containers.add(bridgeSpec(), since, bridgeLog());
    refreshAll();

    launcher.init(opts.launcherVersion);
    bridge.init();

    await server.sync();
    await Promise.all([...parts.values()].map((p) => p.ssh.listen()));
    for (const name of names) writeSshd(name);
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
    launcher: { origin: launcher.origin, checkout: launcher.checkout },
    matrixBridge: {
      origin: bridge.origin,
      checkout: bridge.checkout,
      node: speechNode,
      container: bridgeSpec().name,
    },
    speech: speech.endpoints(),
    embeddings: { url: embeddings.url, port: embeddings.port, set: embeddings.set },
    qdrant: {
      url: qdrant.url,
      port: qdrant.port,
      set: qdrant.set,
      requests: () => qdrant.qdrant.requests,
      requireKey: (key) => {
        qdrant.qdrant.apiKey = key;
      },
    },
    lan: { address: lan.address, port: lan.port, heard: lan.heard },
    faults,
    stop,
  };
}
