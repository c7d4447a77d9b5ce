import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../../platform/store/db.js';
import { redactionMigrations } from '../migrations.js';
import { VaultCipher } from './crypto.js';
import { VaultStore } from './store.js';

const HOUR = 3_600_000;

describe('VaultStore', () => {
  let db: Db;
  let now = 1_000_000;
  let store: VaultStore;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db, redactionMigrations);
    store = new VaultStore({
      db,
      cipher: new VaultCipher(randomBytes(32)),
      retentionMs: 24 * HOUR,
      now: () => now,
    });
  });
  afterEach(() => db.close());

  it('stores what a use assigned and loads it back: same value, same placeholder', () => {
    store.withTask('t', true, (table) => table.placeholderFor('EMAIL', 'a@example.com'));
    const again = store.withTask('t', false, (table) => [
      table.placeholderFor('EMAIL', 'a@example.com'),
      table.placeholderFor('EMAIL', 'b@example.com'),
    ]);
    expect(again?.result).toEqual(['[EMAIL_1]', '[EMAIL_2]']);
    expect(store.summary('t')?.placeholders).toEqual([
      { placeholder: '[EMAIL_1]', type: 'EMAIL' },
      { placeholder: '[EMAIL_2]', type: 'EMAIL' },
    ]);
  });

  it('numbers entries in the order they were first assigned, across scrubs of one task', () => {
    store.withTask('t', true, (table) => table.placeholderFor('PHONE', '+44 20 7946 0958'));
    store.withTask('t', true, (table) => {
      table.placeholderFor('EMAIL', 'a@example.com');
      table.placeholderFor('PHONE', '+44 20 7946 0958');
      table.placeholderFor('PERSON', 'Ines Marchetti');
    });
    store.withTask('other', true, (table) => table.placeholderFor('EMAIL', 'z@example.com'));
    store.withTask('t', false, (table) => table.placeholderFor('EMAIL', 'b@example.com'));
    const rows = db
      .prepare('SELECT placeholder, seq FROM redaction_entries WHERE task_id = ? ORDER BY seq')
      .all('t');
    expect(rows).toEqual([
      { placeholder: '[PHONE_1]', seq: 1 },
      { placeholder: '[EMAIL_1]', seq: 2 },
      { placeholder: '[PERSON_1]', seq: 3 },
      { placeholder: '[EMAIL_2]', seq: 4 },
    ]);
  });

  it('leaves nothing behind when the use throws — not even a new task', () => {
    expect(() =>
      store.withTask('new', true, (table) => {
        table.placeholderFor('EMAIL', 'a@example.com');
        throw new Error('detector timed out');
      }),
    ).toThrow('detector timed out');
    expect(store.count()).toBe(0);
    expect(store.withTask('new', false, () => 1)).toBeNull();
  });

  it('expires a task retention after its last use; the purge deletes it and its values', () => {
    store.withTask('t', true, (table) => table.placeholderFor('IP', '192.0.2.7'));
    now += 20 * HOUR;
    store.withTask('t', false, () => null);
    now += 20 * HOUR;
    expect(store.purgeExpired()).toBe(0);
    expect(store.summary('t')).not.toBeNull();
    now += 5 * HOUR;
    expect(store.purgeExpired()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM redaction_entries').get()).toEqual({ n: 0 });
  });

  it('treats an expired task the purge has not reached yet as gone', () => {
    store.withTask('t', true, (table) => table.placeholderFor('IP', '192.0.2.7'));
    now += 25 * HOUR;
    expect(store.summary('t')).toBeNull();
    expect(store.withTask('t', true, (table) => table.placeholderFor('IP', '192.0.2.8'))?.result).toBe(
      '[IP_1]',
    );
  });

  it('deletes on request; false for an unknown task', () => {
    store.withTask('t', true, (table) => table.placeholderFor('IP', '192.0.2.7'));
    expect(store.delete('t')).toBe(true);
    expect(store.delete('t')).toBe(false);
  });

  it('cannot open values sealed under another key', () => {
    store.withTask('t', true, (table) => table.placeholderFor('IP', '192.0.2.7'));
    const other = new VaultStore({
      db,
      cipher: new VaultCipher(randomBytes(32)),
      retentionMs: 24 * HOUR,
      now: () => now,
    });
    expect(() => other.withTask('t', false, () => null)).toThrow(/could not open task "t"/);
  });
});
