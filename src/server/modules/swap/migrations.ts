import type { Migration } from '../../platform/store/db.js';

// Swaps outlive the process: a restart shows what happened and re-attaches to a swap still loading.
export const swapMigrations: Migration[] = [
  {
    id: 30,
    name: 'swaps',
    sql: `
      CREATE TABLE swaps (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        display_name TEXT NOT NULL,
        model TEXT NOT NULL,
        mode TEXT NOT NULL,
        nodes TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        state TEXT NOT NULL,
        phase TEXT NOT NULL,
        holder TEXT,
        error TEXT,
        previous_model TEXT,
        launch_cmd TEXT NOT NULL,
        log_since INTEGER,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        timings TEXT NOT NULL DEFAULT '{}',
        expected_s REAL NOT NULL
      );
      CREATE INDEX swaps_key_state ON swaps (key, state, finished_at);
      CREATE INDEX swaps_started ON swaps (started_at);
    `,
  },
];
