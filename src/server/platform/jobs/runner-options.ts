// What JobRunner is built from and what it answers beyond the JobRunnerApi contract.
import type { JobInfo } from '../../../common/api.js';
import type { Db } from '../store/db.js';
import type { JobEventSink } from './fanout.js';
import type { JobStoreOptions } from './store.js';
import type { JobContext } from './types.js';

export type { JobEventSink };

/** Re-attaches to a job a previous process left running; settles like `JobSpec.run`. */
export type RecoveryHandler = (info: JobInfo, ctx: JobContext) => Promise<void>;

/** A pino logger fits; the runner logs starts, ends and unexpected failures. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  db: Db;
  bus?: JobEventSink;
  logger?: JobLogger;
  /** Clock for timestamps and pruning (epoch ms). */
  now?: () => number;
  /** Finished jobs older than this are deleted at start. */
  retentionDays?: number;
  store?: Omit<JobStoreOptions, 'onError'>;
}

export type JobDetail = JobInfo & { log_tail: string[]; log_dropped: number };
