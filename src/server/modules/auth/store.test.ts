import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../../platform/store/db.js';
import { SessionStore } from './store.js';

describe('session store', () => {
  let dir: string;
  let db: Db;
  let now = 1_000_000;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-auth-'));
    db = openStore(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only digests, expires sessions and prunes the expired ones', () => {
    const store = new SessionStore(db, 'scrypt$hash-1', () => now);
    const id = store.create(60_000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.valid(id)).toBe(true);
    const rows = db.prepare('SELECT * FROM auth_sessions').all() as { id_digest: string }[];
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(id);
    now += 60_000;
    expect(store.valid(id)).toBe(false);
    store.create(60_000);
    expect(db.prepare('SELECT COUNT(*) FROM auth_sessions').pluck().get()).toBe(1);
  });

  it('ends one session without touching another, and survives a reopen', () => {
    const store = new SessionStore(db, 'scrypt$hash-1', () => now);
    const a = store.create(60_000);
    const b = store.create(60_000);
    store.delete(a);
    expect([store.valid(a), store.valid(b), store.valid('x'.repeat(43))]).toEqual([false, true, false]);
    db.close();
    db = openStore(dir);
    expect(new SessionStore(db, 'scrypt$hash-1', () => now).valid(b)).toBe(true);
  });

  it('ends every session when the password changes', () => {
    const id = new SessionStore(db, 'scrypt$old', () => now).create(60_000);
    expect(new SessionStore(db, 'scrypt$old', () => now).valid(id)).toBe(true);
    expect(new SessionStore(db, 'scrypt$new', () => now).valid(id)).toBe(false);
  });
});
