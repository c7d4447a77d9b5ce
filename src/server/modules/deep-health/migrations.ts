import type { Migration } from '../../platform/store/db.js';

// Deep health owns ids 80–84 (SPEC §8): the last check per service, when auto-restart paused, the
// automatic restarts (so a control-plane restart keeps the budget) and the last loopback result.
export const deepHealthMigrations: Migration[] = [
  {
    id: 80,
    name: 'deep health: last check per service, automatic restarts, last loopback',
    sql: `
      CREATE TABLE deep_health_last (
        service TEXT PRIMARY KEY,
        result TEXT,
        paused_since INTEGER
      );
      CREATE TABLE deep_health_restarts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        service TEXT NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        job_id TEXT
      );
      CREATE INDEX deep_health_restarts_service_at ON deep_health_restarts (service, at);
      CREATE TABLE deep_health_loopback (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        result TEXT NOT NULL
      );
    `,
  },
];
