// One running job in memory: what its JobContext does, when changes are written and published.
// The runner owns locks and the outcome; this class owns the job's own bookkeeping.
import type { JobInfo, JobState } from '../../../common/api.js';
import { isAppError } from '../http/errors.js';
import type { JobStore } from './store.js';
import type { JobContext } from './types.js';

export type JobEvent = { type: 'log'; seq: number; ts: string; line: string } | { type: 'job'; job: JobInfo };

export interface LiveJobDeps {
  store: JobStore;
  now: () => number;
  /** Delivers to the job's subscribers (and the event bus for `job` events). */
  emit: (id: string, e: JobEvent) => void;
}

/** Progress and meta can change many times a second; subscribers see at most ~4 updates a second. */
const THROTTLE_MS = 250;
/** One runaway line (a progress bar without newlines) must not bloat the database or a stream. */
const MAX_LINE_CHARS = 4000;

export class LiveJob {
  readonly ctrl = new AbortController();
  readonly done: Promise<JobInfo>;
  /** DELETE asked for it: an error thrown from now on means "cancelled", not "failed". */
  cancelRequested = false;
  /** The server is shutting down: the job is left `running` in the database for recovery. */
  detached = false;
  private ended = false;
  private lastEmit = 0;
  private trailing: NodeJS.Timeout | null = null;
  private resolveDone!: (info: JobInfo) => void;

  constructor(
    private readonly info: JobInfo,
    readonly title: string,
    private seq: number,
    private readonly d: LiveJobDeps,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get id(): string {
    return this.info.id;
  }

  snapshot(): JobInfo {
    return { ...this.info, locks: [...this.info.locks], meta: { ...this.info.meta } };
  }

  context(): JobContext {
    return {
      id: this.info.id,
      signal: this.ctrl.signal,
      log: (line) => this.log(line),
      setPhase: (phase) => this.setPhase(phase),
      setProgress: (p) => this.setProgress(p),
      setMeta: (meta) => this.setMeta(meta),
    };
  }

  // Calls after the job ended are ignored: a run() may leave a child process printing for a while.
  log(text: string): void {
    if (this.ended) return;
    const lines = String(text).split(/\r?\n/);
    if (lines.length > 1 && lines.at(-1) === '') lines.pop();
    for (const raw of lines) {
      const line = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}…` : raw;
      const ms = this.d.now();
      this.seq += 1;
      this.d.store.appendLog(this.info.id, this.seq, ms, line);
      this.d.emit(this.info.id, { type: 'log', seq: this.seq, ts: new Date(ms).toISOString(), line });
    }
  }

  /** Phases are the steps people follow, so they are written and published at once. */
  setPhase(phase: string): void {
    if (this.ended || phase === this.info.phase) return;
    this.info.phase = phase;
    this.d.store.save(this.snapshot(), { now: true });
    this.emitJob();
  }

  setProgress(progress: number | null): void {
    if (this.ended) return;
    const p = progress === null || !Number.isFinite(progress) ? null : Math.min(1, Math.max(0, progress));
    if (p === this.info.progress) return;
    this.info.progress = p;
    this.changed();
  }

  /** Throws here, in the job, for meta that JSON cannot hold, rather than failing a later batch write. */
  setMeta(meta: Record<string, unknown>): void {
    if (this.ended) return;
    this.info.meta = JSON.parse(JSON.stringify({ ...this.info.meta, ...meta })) as Record<string, unknown>;
    this.changed();
  }

  /** Ends the job: written with its pending log in one transaction, then published. */
  finish(state: Exclude<JobState, 'running'>, error: string | null): JobInfo {
    if (!this.ended) {
      this.ended = true;
      this.info.state = state;
      this.info.error = error;
      this.info.finished_at = new Date(this.d.now()).toISOString();
      if (state === 'succeeded' && this.info.progress !== null) this.info.progress = 1;
      this.d.store.save(this.snapshot(), { now: true });
      this.emitJob();
    }
    const info = this.snapshot();
    this.resolveDone(info);
    return info;
  }

  /** Stops in memory only (shutdown): pending writes are flushed, the row stays `running`. */
  detach(): JobInfo {
    this.ended = true;
    if (this.trailing) clearTimeout(this.trailing);
    this.d.store.save(this.snapshot(), { now: true });
    const info = this.snapshot();
    this.resolveDone(info);
    return info;
  }

  /** Progress and meta are written with the next log batch and published at most every 250 ms. */
  private changed(): void {
    this.d.store.save(this.snapshot());
    const wait = this.lastEmit + THROTTLE_MS - performance.now();
    if (wait <= 0) return this.emitJob();
    this.trailing ??= setTimeout(() => this.emitJob(), wait);
    this.trailing.unref();
  }

  private emitJob(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastEmit = performance.now();
    this.d.emit(this.info.id, { type: 'job', job: this.snapshot() });
  }
}

/** AppError messages are written for people; anything else is reduced to its first line. */
export function failureMessage(err: unknown): string {
  if (isAppError(err)) return err.message;
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n')[0]?.trim().slice(0, 300);
  return `failed: ${first || 'unknown error'}`;
}
