// The acting half of deep health: after each check, ask `decideRestart` and, when it says so,
// start the `auto-restart` job and record it (the budget's rows); keep the paused state with its
// one report. The rules themselves are in decide.ts.
import type { FastifyBaseLogger } from 'fastify';
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
}

export class AutoRestarter {
  private readonly startedAt: number;
  private readonly restarting = new Set<string>();
  private readonly pausedSince = new Map<string, number | null>();

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

  info(t: ProbeTarget, last: DeepCheckResult | null): AutoRestartInfo {
    return autoRestartInfo(this.state(t, last), this.o.now());
  }

  /** After a check: restart when decideRestart allows it (the job runs on; this returns at once). */
  act(t: ProbeTarget, result: DeepCheckResult): void {
    const now = this.o.now();
    const state = this.state(t, result);
    const d = decideRestart(state, result, now);
    this.updatePaused(t.name, state, now, d.restart ? null : d);
    if (!d.restart) {
      if (d.code !== 'healthy' && d.code !== 'not_wedged')
        this.o.log.warn({ service: t.name, reason: d.reason }, 'deep health: no automatic restart');
      return;
    }
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
