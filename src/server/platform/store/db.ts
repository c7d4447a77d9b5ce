// Opens the SQLite store in DATA_DIR: WAL for concurrent readers and crash safety, an integrity
// check at start (a corrupt file stops start-up with a clear message rather than losing data
// silently), then forward-only migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** One forward-only schema step; its id is its identity in `schema_migrations`. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export function openStore(dataDir: string, opts: { file?: string; migrations?: Migration[] } = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, opts.file ?? 'spark-control.db');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new StoreError(`The database ${path} failed its integrity check: ${String(check)}`);
    migrate(db, opts.migrations ?? MIGRATIONS);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function migrate(db: Db, migrations: Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id),
  );
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.id));
  if (newest > known) {
    throw new StoreError(
      `The database was written by a newer Spark Control (schema ${newest}, this one knows ${known}); refusing to downgrade it.`,
    );
  }
  const ordered = [...migrations].sort((a, b) => a.id - b.id);
  // Modules contribute their lists separately; two claiming one id would silently skip the second.
  const clash = ordered.find((m, i) => i > 0 && ordered[i - 1]!.id === m.id);
  if (clash)
    throw new StoreError(`Two migrations claim id ${clash.id}; each module keeps to its own block of ids.`);
  const applied: number[] = [];
  for (const m of ordered) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        Date.now(),
      );
    })();
    applied.push(m.id);
  }
  return applied;
}
