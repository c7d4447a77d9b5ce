// Small helpers shared by unit tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
/** The AppError a promise rejects with (a test of a refusal fails when it resolves). */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

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

/**
 * Runs `bash -c script` (or another shell) inside a fresh temp directory that is removed afterwards,
 * with a clean environment (PATH, HOME=that directory, plus `env`), so a command that goes wrong can
 * never litter the checkout or read the developer's settings.
 */
export function runShellSandboxed(
  script: string,
  opts: { shell?: string; env?: Record<string, string>; home?: string; maxBuffer?: number } = {},
): { status: number | null; stdout: Buffer; stderr: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'sc-sh-'));
  try {
    const r = spawnSync(opts.shell ?? 'bash', ['-c', script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.home ?? dir, ...opts.env },
      maxBuffer: opts.maxBuffer ?? 64e6,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
