import type { Migration } from '../../platform/store/db.js';

// Connectivity owns ids 50–59 (SPEC §3: connectivity log).
export const connectivityMigrations: Migration[] = [
  {
    id: 50,
    name: 'connectivity: current state per subject and the rolling event log',
    sql: `
      CREATE TABLE connectivity_state (
        subject TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('up', 'down', 'unknown')),
        last_change INTEGER
      );
      -- One JSON object per event; rows written before the field was renamed say "spark" instead
      -- of "subject" and are normalized on read.
      CREATE TABLE connectivity_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX connectivity_events_ts ON connectivity_events (ts);
    `,
  },
];
