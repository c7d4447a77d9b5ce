// The one owner of "which model is loaded and is the engine up" on the simulated head node.
// Containers, faults and (later) the launcher shim send it intents; the HTTP front end and the
// GPU/log views only read it and react to its 'change' events.
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sleep } from '../fsutil.js';
import { apiLine, type Pids, startupSteps } from './log.js';
import { VllmMetrics } from './metrics.js';
import { modelInfo, vllmGpuMiB } from './models.js';

export type EnginePhase = 'stopped' | 'loading' | 'ready';

export interface EngineOptions {
  speed: number;
  /** Appends lines to the vllm_node container log. */
  log: (lines: string[], at?: Date) => void;
  /** The port vLLM reports listening on (the fake server's real port). */
  port: () => number;
}

/** Load time of a model at speed 1: about 20 s for a ~30 GB model, longer for bigger weights. */
const loadMs = (sizeGb: number): number => 8_000 + sizeGb * 400;

export class VllmEngine extends EventEmitter {
  model: string | null = null;
  phase: EnginePhase = 'stopped';
  readonly metrics = new VllmMetrics();
  private faultDown = false;
  private hostUp = true;
  private generation = 0;
  private pids: Pids = { api: 0, engine: 0 };
  private activity = { prompt: 0, generated: 0 };

  constructor(private readonly opts: EngineOptions) {
    super();
    const stats = setInterval(() => this.logStats(), 10_000);
    stats.unref();
    this.once('closed', () => clearInterval(stats));
  }

  /** True when the OpenAI server should accept connections. */
  get serving(): boolean {
    return this.phase === 'ready' && !this.faultDown && this.hostUp;
  }

  /** GPU memory the vLLM process holds (0 when no engine is running). */
  gpuMiB(): number {
    return this.phase !== 'stopped' && this.model ? vllmGpuMiB(this.model) : 0;
  }

  snapshot(): {
    model: string | null;
    phase: EnginePhase;
    serving: boolean;
    fault_down: boolean;
    host_up: boolean;
  } {
    return {
      model: this.model,
      phase: this.phase,
      serving: this.serving,
      fault_down: this.faultDown,
      host_up: this.hostUp,
    };
  }

  /** Serving already (the demo starts with a loaded model); the startup log is back-dated to `since`. */
  serveNow(model: string, since: Date): void {
    this.begin(model);
    const info = modelInfo(model);
    const seconds = loadMs(info.sizeGb) / 1000;
    for (const step of startupSteps({ model, info, port: this.opts.port(), pids: this.pids, seconds })) {
      const at = new Date(since.getTime() + step.at * seconds * 1000);
      this.opts.log(step.lines(at), at);
    }
    this.setPhase('ready');
  }

  /** Loads a model as `vllm serve` would, logging as it goes; false if stopped or replaced meanwhile. */
  async load(model: string): Promise<boolean> {
    const gen = this.begin(model);
    this.setPhase('loading');
    const info = modelInfo(model);
    const total = loadMs(info.sizeGb) * this.opts.speed;
    const seconds = loadMs(info.sizeGb) / 1000;
    let elapsed = 0;
    for (const step of startupSteps({ model, info, port: this.opts.port(), pids: this.pids, seconds })) {
      await sleep(step.at * total - elapsed);
      elapsed = step.at * total;
      if (gen !== this.generation) return false;
      this.opts.log(step.lines(new Date()));
    }
    this.setPhase('ready');
    return true;
  }

  /** The engine process is gone (container stopped, `launch-cluster.sh stop`, crash). */
  stop(): void {
    this.generation += 1;
    this.metrics.running = 0;
    this.setPhase('stopped');
  }

  /** Fault injection: the HTTP server stops answering while the engine itself stays loaded. */
  setFault(down: boolean): void {
    this.faultDown = down;
    this.emit('change');
  }

  /** The head node dropped off the network: nothing on it is reachable. */
  setHostUp(up: boolean): void {
    this.hostUp = up;
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

  requestAborted(): void {
    this.metrics.running = Math.max(0, this.metrics.running - 1);
    if (this.metrics.running === 0) this.emit('busy', false);
  }

  accessLog(line: string): void {
    this.opts.log([`(APIServer pid=${this.pids.api}) INFO:     ${line}`]);
  }

  /** The simulation ends: cancel a load in progress and stop reporting. */
  close(): void {
    this.generation += 1;
    this.emit('closed');
    this.removeAllListeners();
  }

  private begin(model: string): number {
    this.generation += 1;
    this.model = model;
    this.pids = { api: randomInt(200, 900), engine: randomInt(900, 2000) };
    this.metrics.reset();
    return this.generation;
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
    this.opts.log([
      apiLine(
        this.pids,
        new Date(),
        'loggers.py:127',
        `Engine 000: Avg prompt throughput: ${(prompt / 10).toFixed(1)} tokens/s, Avg generation throughput: ${(generated / 10).toFixed(1)} tokens/s, Running: ${this.metrics.running} reqs, Waiting: 0 reqs, GPU KV cache usage: ${kv}%, Prefix cache hit rate: 0.0%`,
      ),
    ]);
  }
}
