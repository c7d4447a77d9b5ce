// The job runner's tables (ids 10–19). Times are epoch milliseconds; locks and meta are JSON.
import type { Migration } from '../store/db.js';

export const jobMigrations: Migration[] = [
  {
    id: 10,
    name: 'jobs and their persisted logs',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL,
        phase TEXT NOT NULL,
        progress REAL,
        error TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        locks TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL DEFAULT '{}',
        log_dropped INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX jobs_kind_started ON jobs (kind, started_at);
      CREATE INDEX jobs_state ON jobs (state);
      CREATE TABLE job_log (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        line TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 11,
    name: "jobs: when the owner dismissed an ended job's notice",
    // Existing rows read NULL: nothing dismissed, so every notice shows as before.
    sql: 'ALTER TABLE jobs ADD COLUMN dismissed_at INTEGER;',
  },
];
