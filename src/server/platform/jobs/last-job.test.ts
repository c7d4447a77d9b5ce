import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../common/api.js';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caughtAppError, closeTempStores, tempStore, trackedTempDb } from '../../../../test/helpers/unit.js';
import { migrate, openStore, type Db } from '../store/db.js';
import { badEndOn, badEndToExplain, RECENT_END_MS } from './last-job.js';
import { jobMigrations } from './migrations.js';
import { JobRunner } from './runner.js';

const reopened: Db[] = [];
afterEach(() => {
  closeTempStores();
  for (const db of reopened.splice(0)) if (db.open) db.close();
});

const NOW = Date.parse('2025-06-01T12:00:00Z');
const job = (over: Partial<JobInfo> = {}): JobInfo => ({
  id: 'j1',
  kind: 'nim-install',
  state: 'interrupted',
  phase: 'Waiting for /v1/health/ready',
  progress: 0.88,
  error: 'The control plane restarted while this job was running.',
  started_at: new Date(NOW - 120_000).toISOString(),
  finished_at: new Date(NOW - 60_000).toISOString(),
  locks: ['container:spark2:asr-nim'],
  meta: {},
  ...over,
});

describe('badEndToExplain', () => {
  const cases: [string, Parameters<typeof badEndToExplain>[0], string | null][] = [
    ['an interrupted job a minute ago', { holder: null, last: job(), now: NOW }, 'j1'],
    ['a failed job', { holder: null, last: job({ state: 'failed', error: 'x' }), now: NOW }, 'j1'],
    ['a succeeded job', { holder: null, last: job({ state: 'succeeded', error: null }), now: NOW }, null],
    [
      'a cancelled job (the owner asked for it)',
      { holder: null, last: job({ state: 'cancelled' }), now: NOW },
      null,
    ],
    ['nothing ever ended', { holder: null, last: null, now: NOW }, null],
    [
      'a newer job runs on the lock now',
      { holder: job({ id: 'j2', state: 'running', finished_at: null }), last: job(), now: NOW },
      null,
    ],
    ['ended just within the window', { holder: null, last: job(), now: NOW - 60_000 + RECENT_END_MS }, 'j1'],
    [
      'ended longer ago than the window',
      { holder: null, last: job(), now: NOW - 59_999 + RECENT_END_MS },
      null,
    ],
    ['a shorter window', { holder: null, last: job(), now: NOW, withinMs: 30_000 }, null],
    ['no end time', { holder: null, last: job({ finished_at: null }), now: NOW }, null],
    [
      'dismissed by the owner',
      { holder: null, last: job({ dismissed_at: new Date(NOW).toISOString() }), now: NOW },
      null,
    ],
  ];
  it.each(cases)('%s', (_what, input, expected) => {
    expect(badEndToExplain(input)?.id ?? null).toBe(expected);
  });
});

describe('JobRunner.lastEnded', () => {
  const fail = async () => {
    throw new Error('docker restart failed');
  };

  it('is the newest job that ended holding the lock, whatever came before', async () => {
    const runner = new JobRunner({ db: trackedTempDb('sc-last-') });
    const lock = 'container:spark2:parakeet-asr';
    expect(runner.lastEnded(lock)).toBeNull();
    const a = await runner.start({ kind: 'service-action', locks: [lock], run: fail }).done;
    expect(runner.lastEnded(lock)).toMatchObject({ id: a.id, state: 'failed' });
    // A job on a lock whose name extends this one's is another container.
    await runner.start({ kind: 'service-action', locks: [`${lock}-2`], run: async () => {} }).done;
    expect(runner.lastEnded(lock)?.id).toBe(a.id);
    const b = await runner.start({ kind: 'patch-restart', locks: ['gpu', lock], run: async () => {} }).done;
    expect(runner.lastEnded(lock)).toMatchObject({ id: b.id, state: 'succeeded' });
    expect(runner.lastEnded('gpu')?.id).toBe(b.id);
  });

  it('a running job is not an ended one', async () => {
    const runner = new JobRunner({ db: trackedTempDb('sc-last-') });
    const lock = 'container:spark1:magpie';
    const first = await runner.start({ kind: 'service-action', locks: [lock], run: fail }).done;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = runner.start({ kind: 'service-action', locks: [lock], run: () => gate });
    expect(runner.holder(lock)?.id).toBe(h.id);
    expect(runner.lastEnded(lock)?.id).toBe(first.id);
    release();
    expect((await h.done).state).toBe('succeeded');
    expect(runner.lastEnded(lock)?.id).toBe(h.id);
  });

  it('after a restart: read from the database, and a job the restart cut short is the last one', async () => {
    const db = trackedTempDb('sc-last-');
    const lock = 'container:spark2:asr-nim';
    const before = new JobRunner({ db });
    const failed = await before.start({ kind: 'nim-install', locks: [lock, 'port:spark2:9000'], run: fail })
      .done;
    const cut = before.start({
      kind: 'nim-install',
      locks: [lock],
      // The run starts a tick after start(): the shutdown below may abort before it listens.
      run: (ctx) =>
        new Promise((_, no) => {
          if (ctx.signal.aborted) no(new Error('stop'));
          ctx.signal.addEventListener('abort', () => no(new Error('stop')));
        }),
    });
    await before.shutdown(1000);
    expect((await cut.done).state).toBe('running');

    const after = new JobRunner({ db });
    expect(after.lastEnded('port:spark2:9000')?.id).toBe(failed.id);
    // Until recovery decides, the cut-short job still holds the lock and has not ended.
    expect(after.lastEnded(lock)?.id).toBe(failed.id);
    after.recoverInterrupted();
    expect(after.lastEnded(lock)).toMatchObject({ id: cut.id, state: 'interrupted' });
    expect(
      badEndToExplain({ holder: after.holder(lock), last: after.lastEnded(lock), now: Date.now() })?.id,
    ).toBe(cut.id);
  });
});

describe('JobRunner.dismiss', () => {
  const fail = async () => {
    throw new Error('docker restart failed');
  };
  const lock = 'container:spark2:parakeet-asr';

  it('hides the notice, keeps the job the last word on its lock, and survives a restart', async () => {
    const { db, dir } = tempStore('sc-dismiss-');
    reopened.push(db);
    const runner = new JobRunner({ db });
    const older = await runner.start({ kind: 'service-action', locks: [lock], run: fail }).done;
    const failed = await runner.start({ kind: 'service-action', locks: [lock], run: fail }).done;
    expect(badEndOn(runner, lock, Date.now())?.id).toBe(failed.id);

    const first = runner.dismiss(failed.id);
    expect(first).toMatchObject({ id: failed.id, state: 'failed', dismissed_at: expect.any(String) });
    expect(badEndOn(runner, lock, Date.now())).toBeNull();
    // Still the last job on the lock: dismissing it must not bring the older failure back.
    expect(runner.lastEnded(lock)?.id).toBe(failed.id);
    // Idempotent: the first dismissal's time stays.
    expect(runner.dismiss(failed.id).dismissed_at).toBe(first.dismissed_at);
    await runner.shutdown(1000);
    db.close();

    const again = openStore(dir);
    reopened.push(again);
    const after = new JobRunner({ db: again });
    expect(after.lastEnded(lock)).toMatchObject({ id: failed.id, dismissed_at: first.dismissed_at });
    expect(badEndOn(after, lock, Date.now())).toBeNull();
    expect(after.get(older.id)?.dismissed_at).toBeUndefined();
  });

  it('refuses a running job (409) and an unknown one (404)', async () => {
    const runner = new JobRunner({ db: trackedTempDb('sc-dismiss-') });
    let release!: () => void;
    const h = runner.start({
      kind: 'service-action',
      locks: [lock],
      run: () => new Promise((r) => (release = r)),
    });
    const busy = caughtAppError(() => runner.dismiss(h.id));
    expect(busy.code).toBe('CONFLICT');
    expect(busy.message).toMatch(/still running; cancel it instead/);
    expect(caughtAppError(() => runner.dismiss('nope')).code).toBe('NOT_FOUND');
    await null;
    release();
    await h.done;
    expect(runner.dismiss(h.id).dismissed_at).toEqual(expect.any(String));
  });

  it('the migration adds the column without touching existing rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-dismiss-mig-'));
    const raw = new Database(join(dir, 'spark-control.db'));
    reopened.push(raw);
    migrate(
      raw,
      jobMigrations.filter((m) => m.id === 10),
    );
    raw
      .prepare(
        `INSERT INTO jobs (id, kind, title, state, phase, started_at, finished_at, locks)
         VALUES ('old1', 'service-action', 't', 'failed', 'done', 1, 2, '["${lock}"]')`,
      )
      .run();
    raw.close();
    const db = openStore(dir);
    reopened.push(db);
    const runner = new JobRunner({ db, now: () => 3 });
    expect(runner.lastEnded(lock)).toMatchObject({ id: 'old1', state: 'failed' });
    expect(runner.lastEnded(lock)?.dismissed_at).toBeUndefined();
    expect(runner.dismiss('old1').dismissed_at).toBe(new Date(3).toISOString());
  });
});
