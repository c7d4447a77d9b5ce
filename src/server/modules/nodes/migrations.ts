// Nodes own ids 1–9: the hardware history behind the charts and facts remembered about each node.
import type { Migration } from '../../platform/store/db.js';

export const hardwareMigrations: Migration[] = [
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
  {
    id: 3,
    name: 'nodes woken and waiting for SSH (kept across a control-plane restart)',
    sql: `
      CREATE TABLE node_waking (
        node TEXT PRIMARY KEY,
        since INTEGER NOT NULL,
        until INTEGER NOT NULL
      );
    `,
  },
];
