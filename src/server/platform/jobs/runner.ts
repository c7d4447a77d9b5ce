// The one job runner (ARCHITECTURE pattern 5): every long operation runs here, so locks, the
// persisted log, cancel and restart recovery behave the same for swaps, downloads and updates.
//
// Lifecycle: `start` takes all of a job's named locks at once (or throws 409 naming the holder),
// runs `spec.run(ctx)` and records how it ended: `succeeded`, `failed` (the thrown message),
// or `cancelled` (it threw after `cancel()` aborted `ctx.signal`). Locks are released however it
// ends. A job the previous process left `running` keeps its locks until `recoverInterrupted()`,
// which resumes it with the kind's recovery handler or marks it `interrupted`.
//
// Shutdown is not an outcome: `shutdown()` aborts every signal but a job that then throws stays
// `running` in the database, so the next process can re-attach to work that outlives us (a vLLM
// load keeps going on the Spark while the control plane restarts).
import type { JobInfo } from '../../../common/api.js';
import { AppError, isAppError } from '../http/errors.js';
import { JobFanout } from './fanout.js';
import { JOB_ID_PATTERN, newJobId } from './ids.js';
import { failureMessage, LiveJob, type JobEvent } from './live-job.js';
import { LockTable } from './locks.js';
import type { JobDetail, JobRunnerOptions, RecoveryHandler } from './runner-options.js';
import { JobStore, type LogLine, type StoredJob } from './store.js';
import type { JobContext, JobHandle, JobRunnerApi, JobSpec } from './types.js';
import { JobShutdown } from './types.js';

export type * from './runner-options.js';
export { JOB_ID_PATTERN };
const ID_RE = new RegExp(JOB_ID_PATTERN);
const DAY_MS = 86_400_000;

export class JobRunner implements JobRunnerApi {
  private readonly store: JobStore;
  private readonly now: () => number;
  private readonly live = new Map<string, LiveJob>();
  /** Jobs left `running` by a previous process, until recoverInterrupted() decides. */
  private readonly orphans = new Map<string, StoredJob>();
  private readonly locks = new LockTable();
  private readonly fanout: JobFanout;
  private readonly recovery = new Map<string, RecoveryHandler>();
  /** The last ended job per lock, read from the store on first ask, then kept as jobs end. */
  private readonly ended = new Map<string, JobInfo | null>();
  private closing = false;
  private readonly dismissListeners = new Set<(job: JobInfo) => void>();

  constructor(private readonly o: JobRunnerOptions) {
    this.now = o.now ?? Date.now;
    this.fanout = new JobFanout(o.bus);
    this.store = new JobStore(o.db, {
      ...o.store,
      onError: (err) => o.logger?.error({ err }, 'could not write the job log'),
    });
    this.store.prune(this.now() - (o.retentionDays ?? 30) * DAY_MS);
    for (const job of this.store.running()) {
      this.orphans.set(job.info.id, job);
      // Held until recovery so nothing conflicting starts while the old work may still be going.
      this.locks.tryTake(job.info.id, job.info.locks);
    }
  }

  registerRecovery(kind: string, handler: RecoveryHandler): void {
    this.recovery.set(kind, handler);
  }

  /** Call once, after every module registered its recovery handler. */
  recoverInterrupted(): { resumed: string[]; interrupted: string[] } {
    const out = { resumed: [] as string[], interrupted: [] as string[] };
    for (const [id, orphan] of this.orphans) {
      this.orphans.delete(id);
      const handler = this.recovery.get(orphan.info.kind);
      if (!handler) {
        this.endOrphan(orphan, 'interrupted', 'The control plane restarted while this job was running.');
        out.interrupted.push(id);
        continue;
      }
      const job = this.track(orphan.info, orphan.title, this.store.lastSeq(id));
      job.log('(control plane restarted; re-attached to this job)');
      this.execute(job, (ctx) => handler(job.snapshot(), ctx));
      out.resumed.push(id);
    }
    return out;
  }

  start(spec: JobSpec): JobHandle {
    if (this.closing) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const id = spec.id ?? newJobId();
    if (!ID_RE.test(id)) throw new AppError('INVALID_INPUT', `A job id must match ${JOB_ID_PATTERN}.`);
    if (this.live.has(id) || this.orphans.has(id) || this.store.get(id))
      throw new AppError('CONFLICT', `A job with id ${id} already exists.`);
    const locks = [...new Set(spec.locks)];
    const clash = this.locks.tryTake(id, locks);
    if (clash) throw this.conflict(clash.lock, clash.holder);
    const info: JobInfo = {
      id,
      kind: spec.kind,
      state: 'running',
      phase: 'starting',
      progress: null,
      error: null,
      started_at: new Date(this.now()).toISOString(),
      finished_at: null,
      locks,
      meta: JSON.parse(JSON.stringify(spec.meta ?? {})) as Record<string, unknown>,
    };
    const title = spec.title ?? `a ${spec.kind} job`;
    try {
      this.store.insert(info, title);
    } catch (err) {
      this.locks.release(id);
      throw err;
    }
    const job = this.track(info, title, 0);
    this.o.logger?.info({ job: id, kind: spec.kind, locks }, 'job started');
    this.execute(job, (ctx) => spec.run(ctx));
    return { id, info: () => this.get(id) ?? job.snapshot(), done: job.done };
  }

  get(id: string): JobInfo | null {
    return this.live.get(id)?.snapshot() ?? this.orphans.get(id)?.info ?? this.store.get(id)?.info ?? null;
  }

  /** The job with the last `tail` lines of its log, for `GET /api/jobs/:id`. */
  detail(id: string, tail = 50): JobDetail | null {
    const info = this.get(id);
    if (!info) return null;
    const log_tail = this.store.logTail(id, tail).map((l) => l.line);
    return { ...info, log_tail, log_dropped: this.store.get(id)?.logDropped ?? 0 };
  }

  list(filter: { kind?: string; limit?: number } = {}): JobInfo[] {
    const limit = Math.min(500, Math.max(1, filter.limit ?? 50));
    // Live progress is written in batches; answer with the in-memory value.
    return this.store.list({ kind: filter.kind, limit }).map((j) => this.live.get(j.id)?.snapshot() ?? j);
  }

  logSince(id: string, afterSeq = 0, limit = 1000): LogLine[] {
    return this.store.logSince(id, afterSeq, Math.min(10_000, Math.max(1, limit)));
  }

  cancel(id: string): JobInfo {
    const job = this.live.get(id);
    if (job) {
      if (!job.cancelRequested) {
        job.cancelRequested = true;
        job.log('cancel requested');
        job.ctrl.abort();
      }
      return job.snapshot();
    }
    const orphan = this.orphans.get(id);
    if (orphan) {
      this.orphans.delete(id);
      return this.endOrphan(orphan, 'cancelled', null);
    }
    const stored = this.store.get(id);
    if (!stored) throw new AppError('NOT_FOUND', `No job with id ${id}.`);
    throw new AppError('CONFLICT', `Job ${id} already finished (${stored.info.state}).`, {
      details: { job: stored.info },
    });
  }

  /** Waits up to `timeoutMs` for a job to end, then answers its info (DELETE uses this). */
  async settled(id: string, timeoutMs: number): Promise<JobInfo | null> {
    const job = this.live.get(id);
    if (job) await waitAtMost(job.done, timeoutMs);
    return this.get(id);
  }

  holder(lock: string): JobInfo | null {
    return this.holderOf(lock)?.info ?? null;
  }

  lastEnded(lock: string): JobInfo | null {
    if (!this.ended.has(lock)) {
      // Asked per card on every GET /api/services: the store is read once per lock, then memory.
      if (this.closing) return null; // the store closes during shutdown
      this.ended.set(lock, this.store.lastEnded(lock));
    }
    return this.ended.get(lock) ?? null;
  }

  dismiss(id: string): JobInfo {
    if (this.closing) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down.');
    const running = this.live.get(id)?.snapshot() ?? this.orphans.get(id)?.info;
    if (running) throw stillRunning(running);
    const stored = this.store.get(id);
    if (!stored) throw new AppError('NOT_FOUND', `No job with id ${id}.`);
    if (!this.store.dismiss(id, this.now())) throw stillRunning(stored.info);
    const info = this.store.get(id)?.info ?? stored.info;
    // The per-lock memory holds the job as it ended; it must carry the dismissal from now on.
    for (const lock of info.locks) if (this.ended.get(lock)?.id === id) this.ended.set(lock, info);
    // Not a `job` bus event: listeners count and log those as the job ending, which it did once.
    for (const fn of this.dismissListeners) {
      try {
        fn(info);
      } catch (err) {
        this.o.logger?.warn({ err, job: id }, 'a dismissal listener failed');
      }
    }
    return info;
  }

  onDismiss(fn: (job: JobInfo) => void): () => void {
    this.dismissListeners.add(fn);
    return () => this.dismissListeners.delete(fn);
  }

  subscribe(id: string, fn: (e: JobEvent) => void): () => void {
    return this.fanout.subscribe(id, fn);
  }

  /**
   * Aborts every running job's signal and waits (up to `timeoutMs`) for them to stop, then writes
   * what is pending. Jobs that stop by throwing stay `running` in the database (see the top).
   */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.closing = true;
    const jobs = [...this.live.values()];
    for (const job of jobs) {
      job.detached = true;
      job.ctrl.abort(new JobShutdown());
    }
    await waitAtMost(Promise.all(jobs.map((j) => j.done)), timeoutMs);
    this.store.close();
  }

  private holderOf(lock: string): { info: JobInfo; title: string } | null {
    const id = this.locks.holderOf(lock);
    if (id === undefined) return null;
    const job = this.live.get(id);
    if (job) return { info: job.snapshot(), title: job.title };
    return this.orphans.get(id) ?? null;
  }

  private conflict(lock: string, holderId: string): AppError {
    const holder = this.holderOf(lock);
    const title = holder ? holder.title.charAt(0).toUpperCase() + holder.title.slice(1) : 'Another job';
    const message = `${title} is running (job ${holderId}); try again when it finishes`;
    return new AppError('CONFLICT', message, { details: { job: holder?.info ?? null } });
  }

  private track(info: JobInfo, title: string, seq: number): LiveJob {
    const job = new LiveJob(info, title, seq, {
      store: this.store,
      now: this.now,
      emit: (id, e) => {
        // Noted before anyone hears of the end, so a listener asking lastEnded() sees this job.
        if (e.type === 'job' && e.job.state !== 'running') this.noteEnded(e.job);
        this.fanout.emit(id, e);
      },
    });
    this.live.set(info.id, job);
    this.locks.tryTake(info.id, info.locks);
    return job;
  }

  private execute(job: LiveJob, fn: (ctx: JobContext) => Promise<void>): void {
    // Not awaited: start() answers with the job at once; the job's outcome is recorded by end().
    (async () => {
      try {
        await null; // run() starts after start() returned, so the caller can subscribe first
        await fn(job.context());
        this.end(job, () => job.finish('succeeded', null));
      } catch (err) {
        if (job.detached) this.end(job, () => job.detach());
        else if (job.cancelRequested) this.end(job, () => job.finish('cancelled', null));
        else {
          if (!isAppError(err)) this.o.logger?.warn({ err, job: job.id }, 'job failed');
          this.end(job, () => job.finish('failed', failureMessage(err)));
        }
      }
    })().catch((err: unknown) =>
      this.o.logger?.error({ err, job: job.id }, 'could not record the end of a job'),
    );
  }

  /** Locks go first, so a subscriber reacting to the final event can start the next job. */
  private end(job: LiveJob, finish: () => JobInfo): void {
    this.live.delete(job.id);
    this.locks.release(job.id);
    const info = finish();
    this.o.logger?.info({ job: job.id, kind: info.kind, state: info.state }, 'job ended');
  }

  private endOrphan(orphan: StoredJob, state: 'interrupted' | 'cancelled', error: string | null): JobInfo {
    const info: JobInfo = { ...orphan.info, state, error, finished_at: new Date(this.now()).toISOString() };
    this.locks.release(info.id);
    this.store.save(info, { now: true });
    this.noteEnded(info);
    this.fanout.emit(info.id, { type: 'job', job: info });
    return info;
  }

  private noteEnded(info: JobInfo): void {
    for (const lock of info.locks) this.ended.set(lock, info);
  }
}

const stillRunning = (job: JobInfo) =>
  new AppError('CONFLICT', `Job ${job.id} is still running; cancel it instead.`, { details: { job } });

async function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
