// Contract of the one job runner (ARCHITECTURE pattern 5) used by every long operation.
import type { JobInfo } from '../../../common/api.js';

export interface JobContext {
  readonly id: string;
  /** Aborted when the job is cancelled (DELETE) or the server shuts down. */
  readonly signal: AbortSignal;
  /** Appends a line to the persisted log (secrets must already be redacted by the caller). */
  log(line: string): void;
  setPhase(phase: string): void;
  setProgress(progress: number | null): void;
  /** Merges into the job's meta (persisted). */
  setMeta(meta: Record<string, unknown>): void;
}

export interface JobSpec {
  kind: string;
  /** Named locks held for the job's whole run; a conflicting job is refused with 409 at start. */
  locks: string[];
  meta?: Record<string, unknown>;
  /** Human phrase for conflict messages, e.g. "a model swap to Qwen3". */
  title?: string;
  /** The work. Throwing fails the job with the error's message (AppError messages are kept). */
  run(ctx: JobContext): Promise<void>;
  /** An id chosen by the caller (e.g. the swap id); generated when absent. */
  id?: string;
}

export interface JobHandle {
  readonly id: string;
  info(): JobInfo;
  /** Resolves when the job ends, with its final info. Never rejects. */
  done: Promise<JobInfo>;
}

export interface JobRunnerApi {
  /** Starts a job now or throws AppError('CONFLICT') naming the job that holds a lock. */
  start(spec: JobSpec): JobHandle;
  get(id: string): JobInfo | null;
  list(filter?: { kind?: string; limit?: number }): JobInfo[];
  /** Log lines after `afterSeq` (0 = from the start). */
  logSince(id: string, afterSeq?: number, limit?: number): { seq: number; ts: string; line: string }[];
  cancel(id: string): JobInfo;
  /** Which job holds a lock right now, if any. */
  holder(lock: string): JobInfo | null;
  /** The job that last ended (any outcome) while holding a lock, if any is still retained. */
  lastEnded(lock: string): JobInfo | null;
  /**
   * Marks an ended job's notice dismissed (kept in the database); idempotent. Throws NOT_FOUND, or
   * CONFLICT while the job runs. Optional so narrow test doubles need not implement it.
   */
  dismiss?(id: string): JobInfo;
  /** Called after a dismissal, so views that cache a job's notice can drop it. Returns an unsubscribe. */
  onDismiss?(fn: (job: JobInfo) => void): () => void;
  /** Live events for one job: log lines and state changes. Returns an unsubscribe function. */
  subscribe(
    id: string,
    fn: (e: { type: 'log'; seq: number; ts: string; line: string } | { type: 'job'; job: JobInfo }) => void,
  ): () => void;
}

/**
 * The abort reason when the control plane shuts down (not a cancel): a job should stop its local
 * work, leave the remote work alone, and throw, so it stays `running` for the next start to resume.
 */
export class JobShutdown extends Error {
  override name = 'JobShutdown';
  constructor() {
    super('The control plane is shutting down');
  }
}
