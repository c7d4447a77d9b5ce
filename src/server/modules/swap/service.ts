// The swap module's rules: who may swap, what a swap runs on, what it is expected to take, and
// the public view of swaps. Each swap itself is owned by its SwapExecutor, run as a job.
import { randomBytes } from 'node:crypto';
import type {
  HardwareSnapshot,
  PreflightWarning,
  SwapInfo,
  ValidateResponse,
  VllmState,
} from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobRunner } from '../../platform/jobs/runner.js';
import type { JobContext } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { SwapExecutor } from './executor.js';
import { launchDisplay, nodesFor, planArgs, serveArgs, type LaunchTarget } from './launch-command.js';
import type { SwapModel } from './model.js';
import type { PreSwapCheck } from './pre-swap-checks.js';
import { refusalError, refusalStage, runPreSwapChecks } from './run-checks.js';
import { batchedTokensWarning, engineToReplace, memoryFitWarnings } from './static-checks.js';
import { expectedSeconds, type SwapRow, type SwapStore } from './store.js';
import { runValidation } from './validate.js';

export interface SwapServiceDeps {
  runner: JobRunner;
  store: SwapStore;
  transport: NodeTransport;
  bus: EventBus;
  target: LaunchTarget;
  vllmBaseUrl: string;
  catalog: { snapshot(key: string): SwapModel };
  lock: { assertSwapAllowed(holder: string | null): void };
  notify: (event: 'swap_complete' | 'swap_failed', info: SwapInfo) => void;
  hardware: () => HardwareSnapshot;
  /** The model vLLM serves now (from the status poller), and a way to refresh it after a swap. */
  loadedModel: () => string | null;
  /** vLLM's state as the status poller last saw it (idle vs unknown matters to the fit check). */
  vllmState?: () => VllmState;
  refreshStatus: () => void;
  peerCheckMs?: number;
  /** How often a loading swap checks the engine process (default 2 s). */
  livenessMs?: number;
  /** Run before anything is stored or stopped, in POST /api/swap and pre-flight (weights, launcher). */
  preSwapChecks?: readonly PreSwapCheck[];
}

const LOG_TAIL = 50;

export class SwapService {
  constructor(private readonly d: SwapServiceDeps) {
    d.runner.registerRecovery('swap', (info, ctx) => this.recover(info.id, ctx));
    d.bus.addReplay(() => {
      const latest = this.d.store.latest();
      return latest ? [{ type: 'swap', ts: new Date().toISOString(), data: this.toInfo(latest) }] : [];
    });
  }

  expected(model: SwapModel): number {
    return expectedSeconds(this.d.store.pastDurations(model.key), model.expected_ready_seconds);
  }

  pastSwaps(key: string): number {
    return this.d.store.pastDurations(key).length;
  }

  warnings(model: SwapModel): PreflightWarning[] {
    const nodes = nodesFor(model, this.d.target).map((n) => n.name);
    const batched = batchedTokensWarning(model);
    return [
      ...(batched ? [batched] : []),
      ...memoryFitWarnings({
        model,
        nodes,
        hardware: this.d.hardware(),
        loaded: engineToReplace(this.d.loadedModel(), this.d.store.latest(), this.d.vllmState?.() ?? null),
      }),
    ];
  }

  /**
   * Starts a swap to `key`, also when that model is loaded now (a relaunch: stop, launch, load).
   * `origin` is a first log line saying who asked when it was not the owner (deep health).
   * The pre-swap checks (weights on every node it runs on, the launcher) run before anything is
   * stored or stopped; a refusal is a 409 saying what to do. Two racing starts may both pass
   * them: the runner's locks still let exactly one through.
   */
  async start(key: string, holder: string | null, origin?: string): Promise<{ id: string }> {
    const { row, model } = await this.newRow(key, holder);
    this.d.store.insert(row);
    try {
      this.d.runner.start({
        id: row.id,
        kind: 'swap',
        title: `A model swap to ${model.display_name}`,
        locks: ['gpu', ...row.nodes.map((n) => `node:${n}`)],
        meta: { key, model: row.model, ...(origin ? { origin } : {}) },
        run: (ctx) => {
          if (origin) ctx.log(origin);
          return this.executor(row, ctx).run();
        },
      });
    } catch (e) {
      // Refused (another swap or a download holds the locks): a 409 to the caller, never a row
      // that would pass for the newest swap and hide the one that is running.
      this.d.store.remove(row.id);
      throw e;
    }
    this.publish(row);
    return { id: row.id };
  }

  /** The checks every swap passes and its row, before anything is stored or sent over SSH. */
  private async newRow(key: string, holder: string | null): Promise<{ row: SwapRow; model: SwapModel }> {
    this.d.lock.assertSwapAllowed(holder);
    const model = this.d.catalog.snapshot(key);
    const nodes = nodesFor(model, this.d.target);
    this.assertReachable(
      nodes.map((n) => n.name),
      'swap',
    );
    const id = `swap_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    // Refuses args that cannot be passed safely before anything is stored or sent over SSH.
    const plan = planArgs(model, id);
    const refusal = await runPreSwapChecks(
      this.d.preSwapChecks ?? [],
      model,
      nodes.map((n) => n.name),
    );
    if (refusal) throw refusalError(refusal);
    // The checks took a moment (a fresh probe over SSH): someone may have taken the GPU lock.
    this.d.lock.assertSwapAllowed(holder);
    const row: SwapRow = {
      id,
      key,
      display_name: model.display_name,
      model: model.served_model_name,
      mode: model.mode,
      nodes: nodes.map((n) => n.name),
      snapshot: model,
      state: 'pending',
      phase: 'Waiting to start',
      holder,
      error: null,
      previous_model: this.d.loadedModel(),
      launch_cmd: launchDisplay(model, this.d.target, plan),
      log_since: null,
      started_at: Date.now(),
      finished_at: null,
      timings: {},
      expected_s: this.expected(model),
    };
    return { row, model };
  }

  /**
   * A swap inside a job that already holds `gpu` and the nodes (a launcher update's smoke test):
   * stored and published like start()'s, run by the caller's job, so it takes no locks. `done`
   * settles like the executor (resolves at ready, rejects for failed/cancelled). Nothing recovers
   * it after a restart: the caller closes it with closeOrphan().
   */
  async runWithin(
    key: string,
    ctx: JobContext,
    origin?: string,
  ): Promise<{ id: string; done: Promise<void> }> {
    const { row } = await this.newRow(key, null);
    this.d.store.insert(row);
    this.publish(row);
    if (origin) ctx.log(origin);
    return { id: row.id, done: this.executor(row, ctx).run() };
  }

  /** Fails a runWithin() swap whose job ended with the previous process (not `ready`, never recovered). */
  closeOrphan(id: string, reason: string): void {
    const row = this.d.store.get(id);
    if (!row || ['ready', 'failed', 'cancelled'].includes(row.state)) return;
    const patch = { state: 'failed' as const, phase: 'Failed', error: reason, finished_at: Date.now() };
    this.d.store.update(id, patch);
    this.publish({ ...row, ...patch });
  }

  /**
   * Fails fast (503) when a node is known to be down or hanging: the SSH pool's state (down, key
   * refused, host key changed) or the hardware sampler's last probe (which also sees a node that
   * accepts connections but never answers). Asking it again would only wait for a timeout.
   */
  private assertReachable(names: string[], what: 'swap' | 'check the arguments'): void {
    const hw = this.d.hardware();
    const problems: string[] = [];
    for (const name of names) {
      const conn = this.d.transport.state(name);
      const sample = hw[name];
      if (conn.state === 'unreachable' || conn.state === 'auth_failed' || conn.state === 'host_key_changed')
        problems.push(`${name}: ${conn.error}`);
      else if (sample && !sample.ok && sample.error_kind !== null)
        problems.push(`${name}: ${sample.error ?? sample.error_kind}`);
    }
    if (problems.length > 0) throw new AppError('NODE_UNREACHABLE', `Cannot ${what}: ${problems.join('; ')}`);
  }

  private executor(row: SwapRow, ctx: JobContext): SwapExecutor {
    return new SwapExecutor(
      row,
      {
        transport: this.d.transport,
        store: this.d.store,
        target: this.d.target,
        vllmBaseUrl: this.d.vllmBaseUrl,
        peerCheckMs: this.d.peerCheckMs,
        livenessMs: this.d.livenessMs,
        publish: (r) => this.publish(r),
        notify: (event, r) => {
          this.d.refreshStatus();
          this.d.notify(event, this.toInfo(r));
        },
        // Generous: a first load also fills caches; never less than 10 minutes.
        loadTimeoutS: (r) => Math.max(600, r.expected_s * 4),
      },
      ctx,
    );
  }

  /**
   * After a restart, for a swap the previous process left running. A finished row is left as it
   * is and the job ends matching it; a loading swap is re-attached (it checks what vLLM serves
   * first); an earlier one fails, stopping a half-launched engine first (decide's `restarted`).
   */
  private async recover(id: string, ctx: JobContext): Promise<void> {
    const row = this.d.store.get(id);
    if (!row) throw new Error('The swap record is missing');
    switch (row.state) {
      case 'ready':
        return;
      case 'failed':
        throw new Error(row.error ?? 'The swap failed');
      case 'cancelled':
        this.d.runner.cancel(id); // the job ends `cancelled`, like its swap
        throw new Error(row.error ?? 'Cancelled');
      case 'loading':
        return this.executor(row, ctx).resume();
      default:
        return this.executor(row, ctx).abandon();
    }
  }

  get(id: string): SwapInfo {
    const row = this.d.store.get(id);
    if (!row) throw new AppError('NOT_FOUND', `No swap with id ${id}`);
    return this.toInfo(row);
  }

  current(): SwapInfo | null {
    const row = this.d.store.latest();
    return row ? this.toInfo(row) : null;
  }

  /** Asked on every /api/status: answered from memory (the latest swap seen), not SQLite. */
  running(): SwapInfo | null {
    if (this.latest === undefined) this.latest = this.d.store.latest();
    const row = this.latest;
    return row && !['ready', 'failed', 'cancelled'].includes(row.state) ? this.toInfo(row) : null;
  }

  private latest: SwapRow | null | undefined;

  cancel(id: string): SwapInfo {
    this.get(id);
    this.d.runner.cancel(id);
    return this.get(id);
  }

  async validate(key: string): Promise<ValidateResponse> {
    const model = this.d.catalog.snapshot(key);
    this.assertReachable([this.d.target.nodes[0]!.name], 'check the arguments');
    const plan = planArgs(model, `preflight-${randomBytes(6).toString('hex')}`);
    const base = {
      cmd_args: serveArgs(model, this.d.target.port),
      launch_cmd: launchDisplay(model, this.d.target, plan),
      warnings: this.warnings(model),
    };
    const nodes = nodesFor(model, this.d.target).map((n) => n.name);
    const refusal = await runPreSwapChecks(this.d.preSwapChecks ?? [], model, nodes);
    if (refusal) return { ...base, ok: false, stage: refusalStage(refusal), error: refusal.message, refusal };
    return runValidation(this.d.transport, this.d.target.nodes[0]!.name, model, base, {
      port: this.d.target.port,
      container: this.d.target.container,
      plan,
    });
  }

  private publish(row: SwapRow): void {
    if (!this.latest || row.started_at >= this.latest.started_at) this.latest = row;
    this.d.bus.publish('swap', this.toInfo(row));
  }

  toInfo(row: SwapRow): SwapInfo {
    const end = row.finished_at ?? Date.now();
    const elapsed_s = Math.max(0, (end - row.started_at) / 1000);
    return {
      id: row.id,
      key: row.key,
      display_name: row.display_name,
      model: row.model,
      mode: row.mode,
      nodes: row.nodes,
      state: row.state,
      phase: row.phase,
      holder: row.holder,
      error: row.error,
      previous_model: row.previous_model,
      launch_cmd: row.launch_cmd,
      started_at: new Date(row.started_at).toISOString(),
      finished_at: row.finished_at ? new Date(row.finished_at).toISOString() : null,
      timings: row.timings,
      elapsed_s: Math.round(elapsed_s * 10) / 10,
      expected_s: row.expected_s,
      progress: row.state === 'ready' ? 1 : Math.min(0.99, elapsed_s / Math.max(1, row.expected_s)),
      log_tail: this.d.runner.detail(row.id, LOG_TAIL)?.log_tail ?? [],
    };
  }
}
