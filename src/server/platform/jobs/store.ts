// SQL for jobs and their logs. Log lines are buffered and written in batches because a download
// or a vLLM load can print hundreds of lines a second; one transaction per line would make the
// log the slowest part of the job. State transitions are never buffered: `save(info, {now})`
// flushes the pending lines and the job row together, so a crash loses at most one batch window
// of log and never a transition.
import type { JobInfo, JobState } from '../../../common/api.js';
import type { Db } from '../store/db.js';

export interface LogLine {
  seq: number;
  ts: string;
  line: string;
}

export interface StoredJob {
  info: JobInfo;
  title: string;
  /** Oldest lines removed to keep the log under the cap. */
  logDropped: number;
}

export interface JobStoreOptions {
  /** Lines kept per job; older ones are dropped (and counted). */
  maxLogLines?: number;
  /** Longest a buffered line waits before it is written. */
  flushMs?: number;
  /** Buffered lines that trigger an immediate write. */
  flushLines?: number;
  /** Called when a batch cannot be written (the caller logs it; the job carries on). */
  onError?: (err: unknown) => void;
}

interface JobRow {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  phase: string;
  progress: number | null;
  error: string | null;
  started_at: number;
  finished_at: number | null;
  locks: string;
  meta: string;
  log_dropped: number;
  dismissed_at: number | null;
}

interface PendingLine {
  job_id: string;
  seq: number;
  ts: number;
  line: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toInfo(r: JobRow): JobInfo {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    phase: r.phase,
    progress: r.progress,
    error: r.error,
    started_at: iso(r.started_at),
    finished_at: r.finished_at === null ? null : iso(r.finished_at),
    locks: JSON.parse(r.locks) as string[],
    meta: JSON.parse(r.meta) as Record<string, unknown>,
    // Only when set, so a job nobody dismissed reads exactly as it did before the column existed.
    ...(r.dismissed_at === null ? {} : { dismissed_at: iso(r.dismissed_at) }),
  };
}

const toParams = (i: JobInfo) => ({
  id: i.id,
  state: i.state,
  phase: i.phase,
  progress: i.progress,
  error: i.error,
  finished_at: i.finished_at === null ? null : Date.parse(i.finished_at),
  locks: JSON.stringify(i.locks),
  meta: JSON.stringify(i.meta),
});

export class JobStore {
  private readonly maxLogLines: number;
  private readonly flushMs: number;
  private readonly flushLines: number;
  private readonly onError: (err: unknown) => void;
  private lines: PendingLine[] = [];
  private readonly jobs = new Map<string, JobInfo>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    o: JobStoreOptions = {},
  ) {
    this.maxLogLines = o.maxLogLines ?? 5000;
    this.flushMs = o.flushMs ?? 100;
    this.flushLines = o.flushLines ?? 200;
    this.onError = o.onError ?? (() => {});
    this.stmt = {
      insert: db.prepare(`INSERT INTO jobs (id, kind, title, state, phase, progress, error, started_at,
        finished_at, locks, meta) VALUES (@id, @kind, @title, @state, @phase, @progress, @error, @started_at,
        @finished_at, @locks, @meta)`),
      update:
        db.prepare(`UPDATE jobs SET state = @state, phase = @phase, progress = @progress, error = @error,
        finished_at = @finished_at, locks = @locks, meta = @meta WHERE id = @id`),
      line: db.prepare(
        'INSERT OR REPLACE INTO job_log (job_id, seq, ts, line) VALUES (@job_id, @seq, @ts, @line)',
      ),
      trim: db.prepare('DELETE FROM job_log WHERE job_id = ? AND seq <= ?'),
      dropped: db.prepare('UPDATE jobs SET log_dropped = log_dropped + ? WHERE id = ?'),
      get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      running: db.prepare("SELECT * FROM jobs WHERE state = 'running' ORDER BY started_at"),
      since: db.prepare(
        'SELECT seq, ts, line FROM job_log WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      tail: db.prepare('SELECT seq, ts, line FROM job_log WHERE job_id = ? ORDER BY seq DESC LIMIT ?'),
      // The first dismissal's time is kept: dismissing again changes nothing. A running job is never dismissed.
      dismiss: db.prepare(
        "UPDATE jobs SET dismissed_at = coalesce(dismissed_at, ?) WHERE id = ? AND state != 'running'",
      ),
      lastSeq: db.prepare('SELECT max(seq) AS seq FROM job_log WHERE job_id = ?'),
      // A scan of the retained jobs (30 days); the runner asks once per lock and then keeps it.
      lastEnded: db.prepare(`SELECT * FROM jobs WHERE state != 'running'
        AND EXISTS (SELECT 1 FROM json_each(jobs.locks) WHERE value = ?)
        ORDER BY finished_at DESC, rowid DESC LIMIT 1`),
    };
  }

  insert(info: JobInfo, title: string): void {
    this.stmt.insert.run({
      ...toParams(info),
      kind: info.kind,
      title,
      started_at: Date.parse(info.started_at),
    });
  }

  /** Queues the job row for the next batch, or writes it (with every pending line) right now. */
  save(info: JobInfo, opts: { now?: boolean } = {}): void {
    if (this.closed) return;
    this.jobs.set(info.id, info);
    if (opts.now) this.flush();
    else this.schedule();
  }

  appendLog(jobId: string, seq: number, ts: number, line: string): void {
    if (this.closed) return;
    this.lines.push({ job_id: jobId, seq, ts, line });
    if (this.lines.length >= this.flushLines) this.flush();
    else this.schedule();
  }

  /** Writes everything buffered in one transaction. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.lines.length === 0 && this.jobs.size === 0) return;
    const lines = this.lines;
    const jobs = [...this.jobs.values()];
    this.lines = [];
    this.jobs.clear();
    try {
      this.db.transaction(() => {
        const newest = new Map<string, number>();
        for (const l of lines) {
          this.stmt.line.run(l);
          newest.set(l.job_id, Math.max(l.seq, newest.get(l.job_id) ?? 0));
        }
        for (const [id, seq] of newest) {
          const { changes } = this.stmt.trim.run(id, seq - this.maxLogLines);
          if (changes > 0) this.stmt.dropped.run(changes, id);
        }
        for (const j of jobs) this.stmt.update.run(toParams(j));
      })();
    } catch (err) {
      this.onError(err);
    }
  }

  get(id: string): StoredJob | null {
    const r = this.stmt.get.get(id) as JobRow | undefined;
    return r ? { info: toInfo(r), title: r.title, logDropped: r.log_dropped } : null;
  }

  /** Jobs a previous process left running (it crashed or was restarted mid-job). */
  running(): StoredJob[] {
    return (this.stmt.running.all() as JobRow[]).map((r) => ({
      info: toInfo(r),
      title: r.title,
      logDropped: r.log_dropped,
    }));
  }

  /**
   * The job that last ended (any outcome) while holding `lock`. A dismissed one counts too: it is
   * still what happened last, so dismissing it must not bring an older failure back into view.
   */
  lastEnded(lock: string): JobInfo | null {
    this.flush();
    const r = this.stmt.lastEnded.get(lock) as JobRow | undefined;
    return r ? toInfo(r) : null;
  }

  /** Marks an ended job dismissed (at `at`, epoch ms); false when there is no such ended job. */
  dismiss(id: string, at: number): boolean {
    this.flush();
    return this.stmt.dismiss.run(at, id).changes > 0;
  }

  list(filter: { kind?: string; limit: number }): JobInfo[] {
    const where = filter.kind === undefined ? '' : 'WHERE kind = @kind';
    const rows = this.db
      .prepare(`SELECT * FROM jobs ${where} ORDER BY started_at DESC, rowid DESC LIMIT @limit`)
      .all({ ...filter }) as JobRow[];
    return rows.map(toInfo);
  }

  /** Reads flush first so a reader never misses lines that were already sent live. */
  logSince(id: string, afterSeq: number, limit: number): LogLine[] {
    this.flush();
    return (this.stmt.since.all(id, afterSeq, limit) as PendingLine[]).map(toLine);
  }

  logTail(id: string, n: number): LogLine[] {
    this.flush();
    return (this.stmt.tail.all(id, n) as PendingLine[]).map(toLine).reverse();
  }

  lastSeq(id: string): number {
    this.flush();
    return (this.stmt.lastSeq.get(id) as { seq: number | null }).seq ?? 0;
  }

  /** Deletes finished jobs (and their logs) that ended before `before` (epoch ms). */
  prune(before: number): number {
    return this.db.transaction(() => {
      const finished = "state != 'running' AND finished_at < ?";
      this.db
        .prepare(`DELETE FROM job_log WHERE job_id IN (SELECT id FROM jobs WHERE ${finished})`)
        .run(before);
      return this.db.prepare(`DELETE FROM jobs WHERE ${finished}`).run(before).changes;
    })();
  }

  /** Writes what is pending; later writes are ignored (a job may outlive a shutdown timeout). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref();
  }
}

const toLine = (r: { seq: number; ts: number; line: string }): LogLine => ({
  seq: r.seq,
  ts: iso(r.ts),
  line: r.line,
});
