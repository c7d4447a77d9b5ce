// Forward-only migrations, applied in order, each in its own transaction. Never edit a shipped
// migration: add a new one. One entry per table group, named after the module that owns it.
import { MODULE_MIGRATIONS } from './migrations/index.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const HARDWARE_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'hardware history',
    sql: `
      CREATE TABLE hardware_samples (
        node TEXT NOT NULL,
        ts INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        load1 REAL, cores INTEGER,
        ram_used INTEGER, ram_total INTEGER,
        gpu_mem_used INTEGER,
        util_pct REAL, temp_c REAL, power_w REAL,
        disk_used INTEGER, disk_total INTEGER,
        PRIMARY KEY (node, ts)
      ) WITHOUT ROWID;
      CREATE INDEX hardware_samples_ts ON hardware_samples (ts);
    `,
  },
  {
    id: 2,
    name: 'node facts cache (MAC addresses seen, for Wake-on-LAN after a node goes down)',
    sql: `
      CREATE TABLE node_facts (
        node TEXT PRIMARY KEY,
        mac TEXT,
        hostname TEXT,
        updated_at INTEGER NOT NULL
      );
    `,
  },
];

export const MIGRATIONS: Migration[] = [...HARDWARE_MIGRATIONS, ...MODULE_MIGRATIONS].sort(
  (a, b) => a.id - b.id,
);
