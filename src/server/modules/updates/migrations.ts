import type { Migration } from '../../platform/store/db.js';

// Launcher updates and rollbacks are remembered (issue 12 item 6): the last one is shown with its
// result, and a rollback needs the commit and image the update started from. Ids 105–109.
export const updatesMigrations: Migration[] = [
  {
    id: 105,
    name: 'launcher_updates',
    sql: `
      CREATE TABLE launcher_updates (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        phase TEXT NOT NULL,
        from_commit TEXT NOT NULL,
        to_commit TEXT,
        rollback_image TEXT,
        smoke_model TEXT,
        smoke_result TEXT,
        smoke_swap_id TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        timings TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX launcher_updates_started ON launcher_updates (started_at);
    `,
  },
];
