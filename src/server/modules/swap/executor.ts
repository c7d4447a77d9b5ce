// Runs one swap: feeds events to the pure `decide` and performs the effects it returns. It is the
// single owner of its swap's state; every transition is persisted and published.
import type { SwapInfo, SwapState } from '../../../common/api.js';
import { JobShutdown, type JobContext } from '../../platform/jobs/types.js';
import { isAppError } from '../../platform/http/errors.js';
import { sh } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { decide, TERMINAL, type SwapEffect, type SwapEvent, type SwapMachine } from './decide.js';
import { writeConfigFiles } from './config-files.js';
import {
  followLogsCommand,
  launchCommand,
  planArgs,
  stopCommand,
  type LaunchTarget,
} from './launch-command.js';
import { LogWatch } from './log-watch.js';
import { waitUntilServed } from './readiness.js';
import type { SwapRow, SwapStore } from './store.js';

export interface ExecutorDeps {
  transport: NodeTransport;
  store: SwapStore;
  target: LaunchTarget;
  vllmBaseUrl: string;
  /** Called on every transition with the fresh public view. */
  publish(row: SwapRow): void;
  notify(event: 'swap_complete' | 'swap_failed', row: SwapRow): void;
  /** Seconds to wait for readiness before giving up. */
  loadTimeoutS(row: SwapRow): number;
  /** How often other cluster nodes are checked while loading. */
  peerCheckMs?: number;
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).at(-1) ?? '';

export class SwapExecutor {
  private machine: SwapMachine;
  private enteredAt = Date.now();
  private watch: AbortController | null = null;
  private queue: Promise<void> = Promise.resolve();
  private finish!: () => void;
  private readonly finished = new Promise<void>((r) => (this.finish = r));
  private readonly logWatch = new LogWatch();

  constructor(
    private row: SwapRow,
    private readonly d: ExecutorDeps,
    private readonly ctx: JobContext,
  ) {
    this.machine = { state: row.state, phase: row.phase, error: row.error };
    ctx.signal.addEventListener('abort', () => this.onAbort(), { once: true });
  }

  /** Drives a new swap from pending to a final state. Throws when it failed (the job fails too). */
  async run(): Promise<void> {
    this.dispatch({ type: 'start' });
    return this.outcome();
  }

  /** After a control-plane restart: resume watching a swap that was loading. */
  async resume(): Promise<void> {
    this.ctx.log('Spark Control restarted; re-attaching to the model load');
    this.enqueue([{ type: 'watch' }]);
    return this.outcome();
  }

  private detached = false;

  /** Cancel stops the swap (and the half-loaded engine); a shutdown only lets go of it. */
  private onAbort(): void {
    if (!(this.ctx.signal.reason instanceof JobShutdown)) return this.dispatch({ type: 'cancel' });
    this.detached = true;
    this.watch?.abort();
    this.finish();
  }

  private async outcome(): Promise<void> {
    await this.finished;
    if (this.detached) throw this.ctx.signal.reason as Error;
    if (this.machine.state === 'failed') throw new Error(this.machine.error ?? 'The swap failed');
  }

  dispatch(e: SwapEvent): void {
    const { next, effects } = decide(this.machine, e);
    if (next !== this.machine) this.transition(next);
    this.enqueue(effects);
  }

  private enqueue(effects: SwapEffect[]): void {
    for (const effect of effects)
      this.queue = this.queue.then(() => this.perform(effect)).catch(() => undefined);
  }

  private transition(next: SwapMachine): void {
    const now = Date.now();
    const timings = {
      ...this.row.timings,
      [this.machine.state]: (this.row.timings[this.machine.state] ?? 0) + now - this.enteredAt,
    };
    this.enteredAt = now;
    this.machine = next;
    const finished_at = TERMINAL.has(next.state) ? now : null;
    this.row = { ...this.row, state: next.state, phase: next.phase, error: next.error, timings, finished_at };
    this.d.store.update(this.row.id, {
      state: next.state,
      phase: next.phase,
      error: next.error,
      timings,
      finished_at,
    });
    this.ctx.setPhase(next.phase);
    this.ctx.log(`── ${next.phase}${next.error ? `: ${next.error}` : ''}`);
    this.d.publish(this.row);
  }

  private async perform(effect: SwapEffect): Promise<void> {
    switch (effect.type) {
      case 'stop_cluster':
        return this.stopCluster();
      case 'launch':
        return this.launch();
      case 'watch':
        return this.startWatching();
      case 'unwatch':
        this.watch?.abort();
        this.watch = null;
        return;
      case 'notify':
        return this.d.notify(effect.event, this.row);
      case 'finish':
        return this.finish();
    }
  }

  private head(): string {
    return this.d.target.nodes[0]!.name;
  }

  private failReason(e: unknown, during: string): string {
    if (isAppError(e) && (e.code === 'NODE_UNREACHABLE' || e.code === 'TIMEOUT'))
      return `${during}: ${e.message}`;
    return `${during}: ${(e as Error).message ?? String(e)}`;
  }

  private async stopCluster(): Promise<void> {
    const cancelling = this.machine.state === 'cancelled';
    try {
      const r = await this.d.transport.stream(
        this.head(),
        stopCommand(this.d.target),
        (l) => this.ctx.log(l),
        {
          timeoutMs: 120_000,
        },
      );
      if (r.code !== 0)
        this.dispatch({
          type: 'failed',
          reason: `Stopping the running model failed: ${lastLine(r.stderr || r.stdout)}`,
        });
      else this.dispatch({ type: 'stopped' });
    } catch (e) {
      if (cancelling) this.ctx.log(`Could not stop the half-loaded model: ${(e as Error).message}`);
      else
        this.dispatch({
          type: 'failed',
          reason: this.failReason(e, `Could not stop the running model on ${this.head()}`),
        });
    }
  }

  private async launch(): Promise<void> {
    let since: number | null = null;
    const output: string[] = [];
    try {
      const plan = planArgs(this.row.snapshot, this.row.id);
      if (plan.config)
        this.ctx.log(
          `Writing the vLLM config file ${plan.config.containerPath} on ${this.row.nodes.join(', ')}`,
        );
      const notWritten = await writeConfigFiles(this.d.transport, this.row.nodes, plan, this.ctx.signal);
      if (this.ctx.signal.aborted) return;
      if (notWritten) return this.dispatch({ type: 'failed', reason: notWritten });
      const r = await this.d.transport.stream(
        this.head(),
        launchCommand(this.row.snapshot, this.d.target, plan),
        (line, stream) => {
          // The first stdout line is the head's clock, for `docker logs --since`.
          if (since === null && stream === 'stdout' && /^\d{9,}$/.test(line.trim()))
            since = Number(line.trim()) - 1;
          else {
            output.push(line);
            this.ctx.log(line);
          }
        },
        { timeoutMs: 300_000, signal: this.ctx.signal },
      );
      if (r.code !== 0) {
        this.dispatch({
          type: 'failed',
          reason: `launch-cluster.sh failed (exit ${r.code}): ${lastLine(output.join('\n'))}`,
        });
        return;
      }
      this.row.log_since = since ?? Math.floor(Date.now() / 1000) - 5;
      this.d.store.update(this.row.id, { log_since: this.row.log_since });
      this.dispatch({ type: 'launched' });
    } catch (e) {
      if (!this.ctx.signal.aborted)
        this.dispatch({ type: 'failed', reason: this.failReason(e, `Launching on ${this.head()} failed`) });
    }
  }

  private startWatching(): void {
    const watch = new AbortController();
    this.watch = watch;
    const fail = (reason: string) => {
      if (!watch.signal.aborted) this.dispatch({ type: 'failed', reason });
    };
    const since = this.row.log_since ?? Math.floor(this.row.started_at / 1000);
    this.d.transport
      .stream(
        this.head(),
        followLogsCommand(this.d.target.container, since),
        (line) => {
          this.ctx.log(line);
          // Give vLLM a moment to print the rest of the traceback before we stop reading.
          if (this.logWatch.push(line)) setTimeout(() => fail(this.logWatch.reason()), 300);
        },
        { signal: watch.signal },
      )
      .then(
        () =>
          fail(
            this.logWatch.failed
              ? this.logWatch.reason()
              : `The ${this.d.target.container} container stopped while the model was loading`,
          ),
        (e: unknown) =>
          fail(this.failReason(e, `Lost the connection to ${this.head()} while the model was loading`)),
      );
    const { snapshot } = this.row;
    waitUntilServed(this.d.vllmBaseUrl, snapshot.served_model_name, snapshot.path, watch.signal).then(
      () => !watch.signal.aborted && this.dispatch({ type: 'ready' }),
      () => undefined,
    );
    const deadline = setTimeout(
      () => fail(`vLLM did not become ready within ${Math.round(this.d.loadTimeoutS(this.row) / 60)} min`),
      this.d.loadTimeoutS(this.row) * 1000,
    );
    watch.signal.addEventListener('abort', () => clearTimeout(deadline), { once: true });
    this.watchPeers(watch.signal, fail);
  }

  /** Cluster mode: a worker that drops off takes the engine with it — fail with its name. */
  private watchPeers(signal: AbortSignal, fail: (reason: string) => void): void {
    const peers = this.d.target.nodes.slice(1).filter((n) => this.row.nodes.includes(n.name));
    if (peers.length === 0) return;
    const timer = setInterval(() => {
      for (const p of peers) {
        this.d.transport
          .exec(p.name, sh`true`, { timeoutMs: 6000 })
          .catch(() => fail(`${p.name} became unreachable during the swap`));
      }
    }, this.d.peerCheckMs ?? 3000);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  get state(): SwapState {
    return this.machine.state;
  }

  info(): Pick<SwapInfo, 'state' | 'phase'> {
    return { state: this.machine.state, phase: this.machine.phase };
  }
}
