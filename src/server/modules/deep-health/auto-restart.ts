// The acting half of deep health: after each check, ask `decideRestart` and, when it says so,
// start the `auto-restart` job (speech services: `docker restart`) or, for vLLM, a relaunch of the
// loaded model through the swap engine (`relaunchVllm`), and record it (one row of the budget
// either way); keep the paused state with its one report. The rules themselves are in decide.ts.
//
// Why vLLM is relaunched, not restarted: with spark-vllm-docker the container's PID 1 is `sleep
// infinity` and vLLM is exec'd in by the launcher, so `docker restart vllm_node` brings back a
// container that serves no model. Only a new launch (a swap to the same catalog entry) heals it.
import type { FastifyBaseLogger } from 'fastify';
import type { JobInfo } from '../../../common/api.js';
import type { AutoRestartInfo, DeepCheckResult } from '../../../common/services-api.js';
import { isAppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { autoRestartInfo, decideRestart, type RestartPolicy, type RestartState } from './decide.js';
import type { ProbeTarget } from './probes.js';
import { restartLocks, runRestart } from './restart.js';
import type { DeepHealthStore } from './store.js';

export interface AutoRestarterDeps {
  policy: () => RestartPolicy;
  store: DeepHealthStore;
  runner: JobRunnerApi;
  transport: NodeTransport;
  report: (subject: string, ok: boolean, error: string | null) => void;
  log: FastifyBaseLogger;
  now: () => number;
  /** The check after a successful restart (trigger `restart`). */
  recheck: (name: string) => Promise<unknown>;
  healthWaitMs?: number;
  /** Relaunches the loaded model through the swap engine; absent: vLLM is never acted on. */
  relaunchVllm?: RelaunchVllm;
}

/** What the swap module answers when asked to relaunch the loaded model (app.ts wires it). */
export interface VllmRelaunch {
  started: boolean;
  reason: string;
  /** The swap's job id when started. */
  job_id?: string;
}
export type RelaunchVllm = () => Promise<VllmRelaunch>;

export class AutoRestarter {
  private readonly startedAt: number;
  private readonly restarting = new Set<string>();
  private readonly pausedSince = new Map<string, number | null>();
  /** The last relaunch refusal reported per service (one report per reason, not one per check). */
  private readonly refusedWith = new Map<string, string>();

  constructor(private readonly o: AutoRestarterDeps) {
    this.startedAt = o.now();
    for (const [name, v] of o.store.lastResults()) this.pausedSince.set(name, v.pausedSince);
  }

  private state(t: ProbeTarget, result: DeepCheckResult | null): RestartState {
    const holder = restartLocks(t)
      .map((l) => this.o.runner.holder(l))
      .find((j) => j !== null);
    return {
      policy: this.o.policy(),
      restarts: this.o.store.restarts(t.name),
      startedAt: this.startedAt,
      // The probe itself asked vLLM: skipped means no model, a real answer means one was loaded.
      modelLoaded: t.kind === 'vllm' ? result?.outcome !== 'skipped' : null,
      lockHeldBy: holder ? `the ${holder.kind} job ${holder.id}` : null,
      restarting: this.restarting.has(t.name),
    };
  }

  /** A removed service: no restart is waited for any more and it is not paused (see registryChanged). */
  forget(name: string): void {
    this.restarting.delete(name);
    this.pausedSince.delete(name);
    this.refusedWith.delete(name);
  }

  info(t: ProbeTarget, last: DeepCheckResult | null): AutoRestartInfo {
    return autoRestartInfo(this.state(t, last), this.o.now());
  }

  /**
   * After a check: restart (or relaunch) when decideRestart allows it. The job runs on; this
   * settles once it has started or been refused.
   */
  async act(t: ProbeTarget, result: DeepCheckResult): Promise<void> {
    const now = this.o.now();
    const state = this.state(t, result);
    const d = decideRestart(state, result, now);
    this.updatePaused(t.name, state, now, d.restart ? null : d);
    if (!d.restart && d.code === 'healthy') this.refusedWith.delete(t.name);
    if (!d.restart) {
      if (d.code !== 'healthy' && d.code !== 'not_wedged')
        this.o.log.warn({ service: t.name, reason: d.reason }, 'deep health: no automatic restart');
      return;
    }
    if (t.kind === 'vllm') return this.relaunch(t, d.reason, now);
    let handle;
    try {
      handle = this.o.runner.start({
        kind: 'auto-restart',
        locks: restartLocks(t),
        title: `an automatic restart of ${t.container}`,
        meta: { service: t.name, node: t.node, container: t.container, reason: d.reason },
        run: (ctx) => runRestart(ctx, t, d.reason, this.o.transport, this.o.healthWaitMs),
      });
    } catch (err) {
      // Another job took the lock between the check and the start: not a restart, not counted.
      if (isAppError(err) && err.code === 'CONFLICT') return;
      throw err;
    }
    this.o.store.addRestart(t.name, now, d.reason, handle.id);
    this.restarting.add(t.name);
    this.o.report(t.name, false, `automatic restart of ${t.container}: ${d.reason}`);
    this.o.log.warn({ service: t.name, reason: d.reason, job: handle.id }, 'deep health: restarting');
    // Not awaited: the caller gets the probe's result now. `done` never rejects, and the check
    // after it turns every failure into a result.
    void handle.done.then(async (job) => {
      this.restarting.delete(t.name);
      if (job.state === 'succeeded') await this.o.recheck(t.name);
    });
  }

  /**
   * vLLM: a swap to the loaded model's catalog entry, with the swap's own job, locks and log. A
   * refusal (no catalog entry, a swap running, the GPU lock held…) is not counted and is reported
   * once per reason; a started relaunch is one row of the budget, like a restart.
   */
  private async relaunch(t: ProbeTarget, reason: string, now: number): Promise<void> {
    // Set before the await: a check finishing meanwhile sees a relaunch under way.
    this.restarting.add(t.name);
    let out: VllmRelaunch;
    try {
      out = this.o.relaunchVllm
        ? await this.o.relaunchVllm()
        : { started: false, reason: 'no swap engine to relaunch vLLM with' };
    } catch (err) {
      out = { started: false, reason: `the relaunch could not start: ${(err as Error).message}` };
    }
    if (!out.started || !out.job_id) {
      this.restarting.delete(t.name);
      this.o.log.warn({ service: t.name, reason: out.reason }, 'deep health: relaunch refused');
      if (this.refusedWith.get(t.name) === out.reason) return;
      this.refusedWith.set(t.name, out.reason);
      return this.o.report(t.name, false, `automatic relaunch refused (${reason}): ${out.reason}`);
    }
    this.refusedWith.delete(t.name);
    this.o.store.addRestart(t.name, now, reason, out.job_id);
    this.o.report(t.name, false, `automatic relaunch of the loaded model: ${reason}; ${out.reason}`);
    this.o.log.warn({ service: t.name, reason, job: out.job_id }, 'deep health: relaunching vLLM');
    // Not awaited (see act); never rejects, and the check after it turns failures into a result.
    void jobEnded(this.o.runner, out.job_id).then(async (job) => {
      this.restarting.delete(t.name);
      if (job?.state === 'succeeded') await this.o.recheck(t.name);
    });
  }

  /** Paused when the budget refused a restart; one report when it starts, cleared once it frees. */
  private updatePaused(
    name: string,
    s: RestartState,
    now: number,
    refusal: { code: string; reason: string } | null,
  ) {
    const since = this.pausedSince.get(name) ?? null;
    if (refusal?.code === 'budget') {
      if (since !== null) return;
      this.pausedSince.set(name, now);
      this.o.store.setPaused(name, now);
      this.o.report(name, false, `auto-restart paused: ${refusal.reason}`);
    } else if (since !== null && !autoRestartInfo(s, now).paused) {
      this.pausedSince.set(name, null);
      this.o.store.setPaused(name, null);
    }
  }
}

/** Resolves with the job's final info once it ends (null when the runner does not know it). */
function jobEnded(runner: JobRunnerApi, id: string): Promise<JobInfo | null> {
  return new Promise((resolve) => {
    const unsubscribe = runner.subscribe(id, (e) => {
      if (e.type === 'job' && e.job.state !== 'running') {
        unsubscribe();
        resolve(e.job);
      }
    });
    const now = runner.get(id);
    if (!now || now.state !== 'running') {
      unsubscribe();
      resolve(now);
    }
  });
}
