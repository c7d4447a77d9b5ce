// Runs one swap: feeds events to the pure `decide` and performs the effects it returns. It is the
// single owner of its swap's row; every transition is persisted and published. The job runner
// owns the locks and the job's state: run() settles when the swap reaches a final state — it
// resolves for `ready`, throws for `failed` and `cancelled` (the runner records a throw after a
// cancel as `cancelled`) — and the runner releases the locks at that moment.
//
// Remote steps (head probe, stop, launch) run one at a time in a queue; whatever they end with,
// including an unexpected throw, comes back as an event. Immediate effects (interrupt, watch,
// unwatch, notify, finish) happen during dispatch.
import type { SwapInfo, SwapState } from '../../../common/api.js';
import { JobShutdown, type JobContext } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { decide, TERMINAL, type SwapEffect, type SwapEvent, type SwapMachine } from './decide.js';
import type { LaunchTarget } from './launch-command.js';
import { LoadWatcher, reattachVerdict, type LoadWatchDeps } from './load-watcher.js';
import { launch, probeHead, stopCluster, type StepDeps } from './steps.js';
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
  /** How often the engine process is checked while loading (default 2 s). */
  livenessMs?: number;
}

type QueuedEffect = Extract<SwapEffect, { type: 'probe_head' | 'stop_cluster' | 'launch' }>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class SwapExecutor {
  private machine: SwapMachine;
  private enteredAt = Date.now();
  private watcher: LoadWatcher | null = null;
  /** Aborts the remote step in flight (head probe or launch) on cancel or shutdown. */
  private step: AbortController | null = null;
  private queue: Promise<void> = Promise.resolve();
  private finish!: () => void;
  private readonly finished = new Promise<void>((r) => (this.finish = r));
  private detached = false;
  /** A transition that could not be recorded (e.g. the database failed): the job fails with it. */
  private broken: Error | null = null;

  constructor(
    private row: SwapRow,
    private readonly d: ExecutorDeps,
    private readonly ctx: JobContext,
  ) {
    this.machine = { state: row.state, phase: row.phase, error: row.error };
    if (ctx.signal.aborted) queueMicrotask(() => this.onAbort());
    else ctx.signal.addEventListener('abort', () => this.onAbort(), { once: true });
  }

  /** Drives a new swap from pending to a final state. */
  async run(): Promise<void> {
    this.dispatch({ type: 'start' });
    return this.outcome();
  }

  /** After a control-plane restart: a loading swap first asks what vLLM serves, then watches again. */
  async resume(): Promise<void> {
    this.ctx.log('Spark Control restarted; re-attaching to the model load');
    this.enqueue(async () => {
      const verdict = await reattachVerdict(this.row, this.watchDeps());
      if (verdict) this.dispatch(verdict);
      else if (this.machine.state === 'loading' && !this.machine.closing) this.startWatching();
    });
    return this.outcome();
  }

  /** After a restart under a swap that had not reached loading (see decide's `restarted`). */
  async abandon(): Promise<void> {
    this.dispatch({ type: 'restarted' });
    return this.outcome();
  }

  /** Cancel stops the swap (and the half-loaded engine); a shutdown only lets go of it. */
  private onAbort(): void {
    if (!(this.ctx.signal.reason instanceof JobShutdown)) return this.dispatch({ type: 'cancel' });
    this.detached = true;
    this.step?.abort();
    this.watcher?.stop();
    this.finish();
  }

  private async outcome(): Promise<void> {
    await this.finished;
    if (this.detached) throw this.ctx.signal.reason as Error;
    if (this.broken) throw this.broken;
    if (this.machine.state === 'failed') throw new Error(this.machine.error ?? 'The swap failed');
    if (this.machine.state === 'cancelled') throw new Error(this.machine.error ?? 'Cancelled');
  }

  dispatch(e: SwapEvent): void {
    if (this.detached || this.broken) return;
    const { next, effects } = decide(this.machine, e);
    try {
      if (next !== this.machine) this.transition(next);
    } catch (err) {
      this.broken = new Error(`Could not record the swap's state: ${message(err)}`);
      this.ctx.log(this.broken.message);
      this.step?.abort();
      this.watcher?.stop();
      return this.finish();
    }
    for (const effect of effects) this.perform(effect);
  }

  private perform(effect: SwapEffect): void {
    switch (effect.type) {
      case 'probe_head':
      case 'stop_cluster':
      case 'launch':
        return this.enqueue(() => this.runStep(effect));
      case 'interrupt':
        return this.step?.abort();
      case 'watch':
        return this.startWatching();
      case 'unwatch':
        this.watcher?.stop();
        this.watcher = null;
        return;
      case 'notify':
        try {
          return this.d.notify(effect.event, this.row);
        } catch (err) {
          // The swap's outcome stands; a notification that cannot go out is said in the log.
          return this.ctx.log(`Could not send the ${effect.event} notification: ${message(err)}`);
        }
      case 'finish':
        return this.finish();
    }
  }

  /** Steps run one after another; whatever one ends with — even a throw — becomes an event. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).then(
      () => undefined,
      (err: unknown) =>
        this.dispatch({ type: 'failed', reason: `Internal error in the swap: ${message(err)}` }),
    );
  }

  private async runStep(effect: QueuedEffect): Promise<void> {
    const deps: StepDeps = {
      transport: this.d.transport,
      target: this.d.target,
      log: (l) => this.ctx.log(l),
    };
    let event: SwapEvent;
    try {
      if (effect.type === 'stop_cluster') {
        if (this.machine.closing) this.ctx.log('Stopping the cluster (the one stop of this cancel)');
        event = await stopCluster(deps);
        if (event.type === 'stop_failed') this.ctx.log(`Stopping failed: ${event.reason}`);
      } else {
        const step = new AbortController();
        this.step = step;
        const row = this.row;
        try {
          event =
            effect.type === 'probe_head'
              ? await probeHead(deps, step.signal)
              : await launch(deps, row, step.signal);
        } finally {
          if (this.step === step) this.step = null;
        }
        if (event.type === 'launched') {
          this.row.log_since = row.log_since;
          this.d.store.update(this.row.id, { log_since: row.log_since });
        }
      }
    } catch (err) {
      const reason = `Internal error while running ${effect.type}: ${message(err)}`;
      event = effect.type === 'stop_cluster' ? { type: 'stop_failed', reason } : { type: 'failed', reason };
    }
    this.dispatch(event);
  }

  private watchDeps(): LoadWatchDeps {
    return {
      transport: this.d.transport,
      target: this.d.target,
      vllmBaseUrl: this.d.vllmBaseUrl,
      loadTimeoutS: this.d.loadTimeoutS(this.row),
      peerCheckMs: this.d.peerCheckMs,
      livenessMs: this.d.livenessMs,
      log: (l) => this.ctx.log(l),
    };
  }

  private startWatching(): void {
    this.watcher?.stop();
    try {
      const watcher = new LoadWatcher(this.row, this.watchDeps(), (e) => this.dispatch(e));
      this.watcher = watcher;
      watcher.start();
    } catch (err) {
      this.dispatch({ type: 'failed', reason: `Could not watch the model load: ${message(err)}` });
    }
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

  get state(): SwapState {
    return this.machine.state;
  }

  info(): Pick<SwapInfo, 'state' | 'phase'> {
    return { state: this.machine.state, phase: this.machine.phase };
  }
}
