import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openStore, StoreError } from './db.js';
import { MIGRATIONS } from './migrations.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sc-store-'));

describe('openStore', () => {
  it('opens in WAL mode and applies every migration once', () => {
    const dir = tmp();
    const db = openStore(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ids = (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
    expect(ids).toEqual(MIGRATIONS.map((m) => m.id));
    expect(migrate(db, MIGRATIONS)).toEqual([]);
    db.close();
    // Re-opening keeps the data and applies nothing new.
    const again = openStore(dir);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({
      n: MIGRATIONS.length,
    });
    again.close();
  });

  it('rolls back a failing migration completely', () => {
    const db = openStore(tmp());
    const bad = [
      ...MIGRATIONS,
      { id: 999, name: 'broken', sql: 'CREATE TABLE t_ok (a); CREATE TABLE oops (' },
    ];
    expect(() => migrate(db, bad)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't_ok'").get()).toBeUndefined();
    expect(db.prepare('SELECT id FROM schema_migrations WHERE id = 999').get()).toBeUndefined();
    db.close();
  });

  it('refuses two migrations that claim one id instead of skipping the second', () => {
    const db = openStore(tmp());
    const clash = [...MIGRATIONS, { id: 20, name: 'another module', sql: 'CREATE TABLE clash (a)' }];
    expect(() => migrate(db, clash)).toThrow(/Two migrations claim id 20/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'clash'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const dir = tmp();
    const db = openStore(dir);
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
      10_000,
      'future',
      0,
    );
    db.close();
    expect(() => openStore(dir)).toThrow(StoreError);
  });

  it('refuses a file that is not a database with a clear error instead of overwriting it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'spark-control.db'), 'this is not sqlite '.repeat(500));
    expect(() => openStore(dir)).toThrow(/not a database|integrity/i);
  });
});
