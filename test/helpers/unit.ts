// Small helpers shared by unit tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../src/server/platform/http/errors.js';
import { openStore, type Db } from '../../src/server/platform/store/db.js';

/** Runs `fn` and returns the AppError it throws; anything else fails the test. */
export function caughtAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** A fresh, migrated store in its own temp directory. */
export function tempStore(prefix = 'sc-test-'): { db: Db; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { db: openStore(dir), dir };
}

/** Temp stores closed after each test of the calling file (register with `closeTempStores` in afterEach). */
const openStores: Db[] = [];
export function trackedTempDb(prefix = 'sc-test-'): Db {
  const { db } = tempStore(prefix);
  openStores.push(db);
  return db;
}
export function closeTempStores(): void {
  for (const db of openStores.splice(0)) db.close();
}
