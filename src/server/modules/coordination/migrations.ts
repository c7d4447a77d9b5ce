import type { Migration } from '../../platform/store/db.js';

// Coordination owns ids 40–49 (SPEC §5: GPU lock, schedule visibility).
export const coordinationMigrations: Migration[] = [
  {
    id: 40,
    name: 'coordination: GPU lock (at most one row, so a restart keeps who holds the GPU)',
    sql: `
      CREATE TABLE gpu_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        reason TEXT,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    id: 41,
    name: 'coordination: schedule entries registered by external schedulers',
    sql: `
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        schedule TEXT NOT NULL,
        model_key TEXT,
        owner TEXT,
        description TEXT,
        next_run TEXT,
        created_at INTEGER NOT NULL
      );
      -- A scheduler re-registering the same job (same name and owner) replaces its entry.
      CREATE UNIQUE INDEX schedules_name_owner ON schedules (name, coalesce(owner, ''));
    `,
  },
];
