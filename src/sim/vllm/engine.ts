// The one owner of "which model is loaded and is the engine up" for the simulated cluster. A
// `vllm serve` process inside a vllm_node container (the container shim streams it from the
// control API) hands the engine its parsed arguments and an output channel; the engine plays the
// load out over time, fails where vLLM would, and ends the process. Containers, faults and the
// HTTP front end only send intents or read; every change emits 'change'.
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sleep } from '../fsutil.js';
import { type ParsedArgs, parseVllmCli } from './argparse.js';
import {
  apiLine,
  apiTraceback,
  bareWarning,
  engineInitFailure,
  engineLine,
  GPU_TOTAL_GIB,
  LOAD,
  type Pids,
  peerLostLines,
  startupSteps,
  VLLM_VERSION,
} from './log.js';
import { VllmMetrics } from './metrics.js';
import { type ModelFacts, repoFacts, vllmGpuMiB } from './model-facts.js';
import {
  DEFAULT_GPU_MEMORY_UTILIZATION,
  loadSeconds,
  planServe,
  type ServeSettings,
  settingsFor,
} from './serve-plan.js';

export type EnginePhase = 'stopped' | 'loading' | 'ready';

/** One `vllm` process's stdout/stderr and its end. */
export interface ProcIo {
  out(lines: string[], stream?: 'o' | 'e', at?: Date): void;
  /** The process exits with this code (the io is finished afterwards). */
  exit(code: number): void;
}

export interface ServeContext {
  /** The node whose container runs this process. */
  node: string;
  home: string;
  cwd: string;
}

export interface EngineOptions {
  speed: number;
  /** The head node: where the API server runs and the OpenAI port is served. */
  head: string;
  /** Appends lines to a node's vllm_node container log (for the lived-in start). */
  log: (node: string, lines: string[], at?: Date) => void;
  /** The port the simulated vLLM is reachable on (the control plane's configured port). */
  port: () => number;
  /** Nodes whose vllm_node runs a Ray worker joined to the head's Ray cluster (head first). */
  rayNodes?: () => string[];
}

interface Worker {
  node: string;
  rank: number;
  io: ProcIo;
}

interface Current {
  gen: number;
  settings: ServeSettings;
  nodes: string[];
  io: ProcIo;
  workers: Worker[];
}

/** Rendezvous waits this long (speed 1) for the other ranks before torch.distributed gives up. */
const RENDEZVOUS_MS = 60_000;

export class VllmEngine extends EventEmitter {
  phase: EnginePhase = 'stopped';
  readonly metrics = new VllmMetrics();
  private cur: Current | undefined;
  private faultDown = false;
  private hostUp = true;
  private generation = 0;
  private pids: Pids = { api: 0, engine: 0 };
  private activity = { prompt: 0, generated: 0 };
  /** Headless ranks waiting for (or serving with) their rank 0, by master addr:port. */
  private readonly waiting = new Map<string, Worker[]>();

  constructor(private readonly opts: EngineOptions) {
    super();
    const stats = setInterval(() => this.logStats(), 10_000);
    stats.unref();
    this.once('closed', () => clearInterval(stats));
  }

  /** The first served name (what /v1/models lists first), or null when nothing is loaded. */
  get model(): string | null {
    return this.phase === 'stopped' ? null : (this.cur?.settings.servedNames[0] ?? null);
  }

  get settings(): ServeSettings | undefined {
    return this.phase === 'stopped' ? undefined : this.cur?.settings;
  }

  /** Nodes holding a share of the model (head first). */
  get nodes(): string[] {
    return this.phase === 'stopped' ? [] : (this.cur?.nodes ?? []);
  }

  /** True when the OpenAI server answers on the configured port. */
  get serving(): boolean {
    return (
      this.phase === 'ready' &&
      this.cur?.nodes[0] === this.opts.head &&
      this.cur.settings.port === this.opts.port() &&
      !this.faultDown &&
      this.hostUp
    );
  }

  servesName(name: string): boolean {
    return this.settings?.servedNames.includes(name) ?? false;
  }

  /** GPU memory the vLLM process holds on a node (0 when it holds no share of a model). */
  gpuMiB(node: string): number {
    const s = this.settings;
    return s && this.nodes.includes(node) ? vllmGpuMiB(s.facts, this.nodes.length) : 0;
  }

  snapshot(): Record<string, unknown> {
    const s = this.settings;
    return {
      model: this.model,
      served_names: s?.servedNames ?? [],
      root: s?.model ?? null,
      max_model_len: s?.maxModelLen ?? null,
      listen_port: s?.port ?? null,
      nodes: this.nodes,
      phase: this.phase,
      serving: this.serving,
      fault_down: this.faultDown,
      host_up: this.hostUp,
    };
  }

  /** Serving already when the simulation starts (a lived-in cluster); the log is back-dated to `since`. */
  serveNow(model: string, since: Date, flags: string[] = []): void {
    const facts = repoFacts(model);
    // Extra serve flags (e.g. the catalog's --enable-auto-tool-choice) parse like the CLI's.
    const parsed = parseVllmCli(['serve', model, ...flags], VLLM_VERSION);
    if (!parsed.ok) throw new Error(`sim vLLM: bad serve flags ${flags.join(' ')}: ${parsed.stderr}`);
    const args: ParsedArgs = {
      ...parsed.args,
      values: { ...parsed.args.values, model_tag: model, model, host: '0.0.0.0', port: this.opts.port() },
      given: [...new Set(['model_tag', 'host', 'port', ...parsed.args.given])],
    };
    const io: ProcIo = { out: (lines, _s, at) => this.opts.log(this.opts.head, lines, at), exit: () => {} };
    const gen = this.begin(settingsFor(args, facts), [this.opts.head], io);
    const p = this.loadParams(facts);
    for (const step of startupSteps(p)) {
      const at = new Date(since.getTime() + step.at * p.seconds * 1000);
      io.out(step.lines(at), 'o', at);
    }
    if (gen === this.generation) this.setPhase('ready');
  }

  /**
   * `vllm serve` with parsed arguments, in the container on `ctx.node`. Rank 0 (or solo) plans and
   * plays the load; a headless rank joins its rank 0 and lives as long as the engine does.
   */
  serve(args: ParsedArgs, ctx: ServeContext, io: ProcIo): void {
    const now = new Date();
    for (const w of args.warnings) io.out([bareWarning(now, 'argparse_utils.py:203', w)]);
    const probe = settingsFor(args, repoFacts(args.model));
    if (probe.headless && probe.nodeRank > 0) return this.join(probe, ctx, io);
    if (this.phase !== 'stopped' && this.cur) return this.refuseSecond(probe, io);
    // `vllm serve` runs in the background like the real process; a bug in the fake is printed
    // where the container's log shows it instead of becoming an unhandled rejection.
    this.run(args, ctx, io).catch((err: unknown) => io.out([`sim vLLM crashed: ${String(err)}`], 'e'));
  }

  private async run(args: ParsedArgs, ctx: ServeContext, io: ProcIo): Promise<void> {
    const probe = settingsFor(args, repoFacts(args.model));
    const expected = probe.ray ? Math.max(1, probe.tensorParallel) : Math.max(1, probe.nnodes);
    const plan = planServe(args, { home: ctx.home, cwd: ctx.cwd, nodes: expected });
    const settings = plan.kind === 'load' ? plan.settings : probe;
    const gen = this.begin(settings, [ctx.node], io);
    const total = loadSeconds(settings.facts, expected) * 1000 * this.opts.speed;
    const pause = async (ms: number): Promise<boolean> => {
      await sleep(ms);
      return gen === this.generation;
    };
    io.out(startupSteps(this.loadParams(settings.facts))[0]?.lines(new Date()) ?? []);
    if (!(await pause(total * 0.03))) return;
    if (plan.kind === 'config-error') return this.finish(gen, plan.lines(this.pids), 1);

    // One GB10 per Spark: tensor parallelism needs that many nodes (ranks or Ray members).
    if (!settings.ray && settings.tensorParallel > expected) {
      if (!(await pause(total * (LOAD.engineInit - 0.03)))) return;
      const error = `ValueError: World size (${settings.tensorParallel}) is larger than the number of available GPUs (${expected}) in this node.`;
      return this.finish(gen, engineInitFailure(this.pids, new Date(), 'free-memory', [error]), 1);
    }
    const nodes = await this.gather(gen, settings, ctx.node, expected);
    if (gen !== this.generation) return;
    if (!nodes) {
      const error = settings.ray
        ? 'ValueError: The number of required GPUs exceeds the total number of available GPUs in the placement group.'
        : `torch.distributed.DistNetworkError: The client socket has timed out after ${RENDEZVOUS_MS / 1000}s while trying to connect to (${settings.masterKey.replace(':', ', ')}).`;
      return this.finish(gen, engineInitFailure(this.pids, new Date(), 'nccl', [error]), 1);
    }
    if (this.cur) this.cur.nodes = nodes;
    this.emit('change');

    const p = this.loadParams(settings.facts);
    const steps = startupSteps(p).slice(1);
    let elapsed = total * 0.03;
    for (const step of steps) {
      if (plan.failure && plan.failure.at <= step.at) break;
      if (!(await pause(step.at * total - elapsed))) return;
      elapsed = step.at * total;
      io.out(step.lines(new Date()));
    }
    if (plan.failure) {
      if (!(await pause(Math.max(0, plan.failure.at * total - elapsed)))) return;
      const lines = engineInitFailure(this.pids, new Date(), plan.failure.kind, plan.failure.error);
      return this.finish(gen, lines, 1);
    }
    this.setPhase('ready');
    for (const w of this.cur?.workers ?? []) {
      w.io.out([
        engineLine(this.pids, new Date(), 'core.py:870', `Headless rank ${w.rank} serving ${settings.model}`),
      ]);
    }
  }

  /** The other ranks this load needs: headless ranks on their master key, or the Ray cluster. */
  private async gather(
    gen: number,
    s: ServeSettings,
    head: string,
    expected: number,
  ): Promise<string[] | null> {
    if (expected <= 1) return [head];
    if (s.ray) {
      const ray = this.opts.rayNodes?.() ?? [head];
      if (ray.length < expected) return null;
      return ray.slice(0, expected);
    }
    const deadline = Date.now() + RENDEZVOUS_MS * this.opts.speed;
    for (;;) {
      const ranks = (this.waiting.get(s.masterKey) ?? []).filter((w) => w.rank < expected);
      const have = new Set(ranks.map((w) => w.rank));
      if (have.size >= expected - 1) {
        const workers = [...ranks].sort((a, b) => a.rank - b.rank);
        if (this.cur && gen === this.generation) this.cur.workers = workers;
        this.waiting.delete(s.masterKey);
        for (const w of workers) {
          w.io.out([
            engineLine(
              this.pids,
              new Date(),
              'parallel_state.py:1208',
              `rank ${w.rank} in world size ${expected} is assigned as DP rank 0, PP rank 0, TP rank ${w.rank}`,
            ),
          ]);
        }
        return [head, ...workers.map((w) => w.node)];
      }
      if (Date.now() > deadline || gen !== this.generation) return null;
      await sleep(Math.max(5, 50 * this.opts.speed));
    }
  }

  /** A headless rank (`--headless --node-rank N`) waiting for its rank 0. */
  private join(s: ServeSettings, ctx: ServeContext, io: ProcIo): void {
    const w: Worker = { node: ctx.node, rank: s.nodeRank, io };
    const list = this.waiting.get(s.masterKey) ?? [];
    list.push(w);
    this.waiting.set(s.masterKey, list);
    const pid = randomInt(200, 900);
    io.out([
      engineLine(
        { api: pid, engine: pid },
        new Date(),
        'core.py:93',
        `Launching headless engine core: node rank ${s.nodeRank} of ${s.nnodes}, master ${s.masterKey}`,
      ),
    ]);
  }

  /** A second `vllm serve` while one runs: the port is taken, or the GPU memory is. */
  private refuseSecond(s: ServeSettings, io: ProcIo): void {
    const pids = { api: randomInt(200, 900), engine: randomInt(900, 2000) };
    const at = (f: number): number => loadSeconds(s.facts, 1) * 1000 * this.opts.speed * f;
    if (s.port === this.cur?.settings.port) {
      setTimeout(() => {
        io.out(apiTraceback(pids, 'socket', ['OSError: [Errno 98] Address already in use']));
        io.exit(1);
      }, at(0.03)).unref();
      return;
    }
    const used = this.gpuMiB(this.opts.head) / 1024;
    const free = Math.max(0.5, GPU_TOTAL_GIB - used - 4);
    const want = GPU_TOTAL_GIB * (s.gpuMemoryUtilization || DEFAULT_GPU_MEMORY_UTILIZATION);
    setTimeout(() => {
      io.out([apiLine(pids, new Date(), 'api_server.py:1839', 'vLLM API server version 0.11.1')]);
      io.out(
        engineInitFailure(pids, new Date(), 'free-memory', [
          `ValueError: Free memory on device (${free.toFixed(2)}/${GPU_TOTAL_GIB.toFixed(2)} GiB) on startup is less than desired GPU memory utilization (${s.gpuMemoryUtilization}, ${want.toFixed(2)} GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.`,
        ]),
      );
      io.exit(1);
    }, at(LOAD.engineInit)).unref();
  }

  /** The serve process went away underneath (its shim was killed): the engine is gone with it. */
  processGone(io: ProcIo): void {
    for (const [key, list] of this.waiting) {
      const rest = list.filter((w) => w.io !== io);
      if (rest.length > 0) this.waiting.set(key, rest);
      else this.waiting.delete(key);
    }
    const cur = this.cur;
    if (!cur || this.phase === 'stopped') return;
    if (cur.io === io) return this.halt(137);
    const worker = cur.workers.find((w) => w.io === io);
    if (worker) this.peerLost(worker.node);
  }

  /** The vllm_node container on `node` stopped: every process in it was killed. */
  containerStopped(node: string): void {
    for (const [key, list] of this.waiting)
      this.waiting.set(
        key,
        list.filter((w) => w.node !== node),
      );
    const cur = this.cur;
    if (!cur || this.phase === 'stopped') return;
    if (node === this.opts.head) return this.halt(137);
    if (cur.nodes.includes(node)) this.peerLost(node);
  }

  /** A node dropped off the network. A worker's loss kills the engine over NCCL; the head's kills a load. */
  setNodeUp(node: string, up: boolean): void {
    if (node === this.opts.head) {
      this.hostUp = up;
      if (!up && this.phase === 'loading') return this.halt(137);
      this.emit('change');
      return;
    }
    if (!up && this.phase !== 'stopped' && this.cur?.nodes.includes(node)) this.peerLost(node);
  }

  /**
   * Fault: the engine dies of something nobody predicted. The serving (or loading) process prints
   * `text` as its last words and exits 1; false when no vLLM process runs.
   */
  die(text: string): boolean {
    const cur = this.cur;
    if (!cur || this.phase === 'stopped') return false;
    this.finish(cur.gen, text.split('\n'), 1);
    return true;
  }

  /** `launch-cluster.sh stop` / docker stop on the head: the process is gone, no last words. */
  stop(): void {
    if (this.phase !== 'stopped') this.halt(137);
  }

  private peerLost(node: string): void {
    const cur = this.cur;
    if (!cur) return;
    const lines = peerLostLines(this.pids, new Date(), node, this.phase === 'loading', cur.settings.ray);
    this.finish(cur.gen, lines, 1);
  }

  /** Ends the current process: last lines, exit code, workers follow, phase stopped. */
  private finish(gen: number, lines: string[], code: number): void {
    const cur = this.cur;
    if (!cur || gen !== this.generation) return;
    cur.io.out(lines);
    this.halt(code);
  }

  private halt(code: number): void {
    const cur = this.cur;
    this.generation += 1;
    this.cur = undefined;
    this.metrics.running = 0;
    if (cur) {
      cur.io.exit(code);
      for (const w of cur.workers) w.io.exit(code);
    }
    this.setPhase('stopped');
  }

  /** Fault injection: the HTTP server stops answering while the engine itself stays loaded. */
  setFault(down: boolean): void {
    this.faultDown = down;
    this.emit('change');
  }

  /** Request accounting for /metrics, the GPU busy signal and the periodic stats line. */
  requestStarted(): void {
    this.metrics.running += 1;
    if (this.metrics.running === 1) this.emit('busy', true);
  }

  requestFinished(p: {
    prompt: number;
    generated: number;
    reason: string;
    ttftS: number;
    e2eS: number;
  }): void {
    this.metrics.running = Math.max(0, this.metrics.running - 1);
    this.metrics.finished(p);
    this.activity.prompt += p.prompt;
    this.activity.generated += p.generated;
    if (this.metrics.running === 0) this.emit('busy', false);
  }

  /**
   * The client went away (or the stream died) mid-request: vLLM aborts it, but the tokens its
   * engine steps already produced stay counted (the counters are bumped per step, not at the end:
   * vllm/v1/metrics/stats.py IterationStats, vllm/v1/metrics/loggers.py PrometheusStatLogger).
   */
  requestAborted(p: { prompt: number; generated: number }): void {
    this.metrics.running = Math.max(0, this.metrics.running - 1);
    this.metrics.aborted(p);
    this.activity.prompt += p.prompt;
    this.activity.generated += p.generated;
    if (this.metrics.running === 0) this.emit('busy', false);
  }

  accessLog(line: string): void {
    this.cur?.io.out([`(APIServer pid=${this.pids.api}) INFO:     ${line}`]);
  }

  /** The simulation ends: cancel a load in progress and stop reporting. */
  close(): void {
    this.generation += 1;
    this.emit('closed');
    this.removeAllListeners();
  }

  private begin(settings: ServeSettings, nodes: string[], io: ProcIo): number {
    this.generation += 1;
    this.pids = { api: randomInt(200, 900), engine: randomInt(900, 2000) };
    this.cur = { gen: this.generation, settings, nodes, io, workers: [] };
    this.metrics.reset();
    this.setPhase('loading');
    return this.generation;
  }

  private loadParams(facts: ModelFacts): Parameters<typeof startupSteps>[0] {
    const s = this.cur?.settings;
    const nodes = Math.max(
      1,
      this.cur?.nodes.length ?? 1,
      s?.ray ? (s?.tensorParallel ?? 1) : (s?.nnodes ?? 1),
    );
    return {
      model: s?.model ?? '',
      servedNames: s?.servedNames ?? [],
      facts,
      port: s?.port ?? this.opts.port(),
      pids: this.pids,
      seconds: loadSeconds(facts, nodes),
      maxModelLen: s?.maxModelLen ?? facts.maxModelLen,
      maxNumBatchedTokens: s?.maxNumBatchedTokens ?? 2048,
      nodes,
      nonDefault: s?.nonDefault ?? '{}',
      gpuMemoryUtilization: s?.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION,
    };
  }

  private setPhase(phase: EnginePhase): void {
    this.phase = phase;
    this.emit('change');
  }

  private logStats(): void {
    const { prompt, generated } = this.activity;
    if (!this.serving || (prompt === 0 && generated === 0 && this.metrics.running === 0)) return;
    this.activity = { prompt: 0, generated: 0 };
    const kv = (Math.min(1, this.metrics.running * 0.012) * 100).toFixed(1);
    this.cur?.io.out([
      apiLine(
        this.pids,
        new Date(),
        'loggers.py:127',
        `Engine 000: Avg prompt throughput: ${(prompt / 10).toFixed(1)} tokens/s, Avg generation throughput: ${(generated / 10).toFixed(1)} tokens/s, Running: ${this.metrics.running} reqs, Waiting: 0 reqs, GPU KV cache usage: ${kv}%, Prefix cache hit rate: 0.0%`,
      ),
    ]);
  }
}
