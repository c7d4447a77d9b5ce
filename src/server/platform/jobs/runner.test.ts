import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobInfo } from '../../../common/api.js';
import { AppError } from '../http/errors.js';
import type { Db } from '../store/db.js';
import { JobRunner } from './runner.js';
import { caughtAppError as caught, closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';

const tmpDb = () => trackedTempDb('sc-jobs-');
afterEach(closeTempStores);

const gate = () => {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
};
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (db: Db, id: string) =>
  db.prepare('SELECT state, phase, progress, meta FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;

describe('JobRunner lifecycle', () => {
  it('runs a job to succeeded with its log, phase, progress and meta persisted', async () => {
    const db = tmpDb();
    const runner = new JobRunner({ db });
    const seen: string[] = [];
    const handle = runner.start({
      kind: 'download',
      locks: ['download'],
      meta: { repo: 'org/model' },
      run: async (ctx) => {
        ctx.setPhase('fetching');
        for (let i = 1; i <= 5; i++) ctx.log(`line ${i}`);
        ctx.setProgress(0.5);
        ctx.setMeta({ bytes: 10 });
      },
    });
    runner.subscribe(handle.id, (e) =>
      seen.push(e.type === 'log' ? e.line : `${e.job.state}:${e.job.phase}`),
    );
    expect(handle.info().state).toBe('running');
    const info = await handle.done;
    expect(info).toMatchObject({ state: 'succeeded', phase: 'fetching', progress: 1, error: null });
    expect(info.meta).toEqual({ repo: 'org/model', bytes: 10 });
    expect(info.finished_at).not.toBeNull();
    // Everything is on disk by the time `done` resolves, without any explicit flush.
    expect(db.prepare('SELECT count(*) AS n FROM job_log WHERE job_id = ?').get(handle.id)).toEqual({ n: 5 });
    expect(row(db, handle.id)).toMatchObject({ state: 'succeeded', progress: 1 });
    expect(seen[0]).toBe('running:fetching');
    expect(seen.at(-1)).toBe('succeeded:fetching');
    expect(seen.filter((s) => s.startsWith('line'))).toHaveLength(5);
    expect(runner.holder('download')).toBeNull();
  });

  it('fails with an AppError message as is, or a generic first line, and releases locks', async () => {
    const runner = new JobRunner({ db: tmpDb() });
    const a = runner.start({
      kind: 'swap',
      locks: ['gpu'],
      run: async () => {
        throw new AppError('NODE_UNREACHABLE', 'spark2 did not answer.');
      },
    });
    expect((await a.done).error).toBe('spark2 did not answer.');
    const b = runner.start({
      kind: 'swap',
      locks: ['gpu'],
      run: async () => {
        throw new Error('boom\n    at secret/path.ts:1');
      },
    });
    expect(await b.done).toMatchObject({ state: 'failed', error: 'failed: boom' });
    expect(runner.holder('gpu')).toBeNull();
    expect((await runner.start({ kind: 'swap', locks: ['gpu'], run: async () => {} }).done).state).toBe(
      'succeeded',
    );
  });

  it('cancels through the signal, then refuses to cancel again; unknown ids are 404', async () => {
    const runner = new JobRunner({ db: tmpDb() });
    const h = runner.start({ kind: 'download', locks: ['download'], run: (ctx) => untilAborted(ctx.signal) });
    await sleep(5);
    expect(runner.cancel(h.id).state).toBe('running');
    expect(await h.done).toMatchObject({ state: 'cancelled', error: null });
    expect(runner.logSince(h.id).map((l) => l.line)).toEqual(['cancel requested']);
    const again = caught(() => runner.cancel(h.id));
    expect([again.code, again.status]).toEqual(['CONFLICT', 409]);
    expect(again.message).toContain('already finished');
    expect(caught(() => runner.cancel('nope')).code).toBe('NOT_FOUND');
    expect(runner.get('nope')).toBeNull();
  });

  it('refuses a conflicting job with 409 naming the holder, taking none of its locks', async () => {
    const runner = new JobRunner({ db: tmpDb() });
    const g = gate();
    const a = runner.start({
      kind: 'swap',
      title: 'a model swap to Qwen3',
      locks: ['gpu', 'node:spark1'],
      run: () => g.promise,
    });
    const err = caught(() =>
      runner.start({ kind: 'download', locks: ['download', 'node:spark1'], run: async () => {} }),
    );
    expect(err.status).toBe(409);
    expect(err.message).toBe(`A model swap to Qwen3 is running (job ${a.id}); try again when it finishes`);
    expect((err.details as { job: JobInfo }).job.id).toBe(a.id);
    expect(runner.holder('download')).toBeNull();
    expect(runner.holder('gpu')?.id).toBe(a.id);
    g.open();
    await a.done;
    expect(runner.holder('node:spark1')).toBeNull();
  });

  it('rejects a bad or duplicate caller-chosen id', async () => {
    const runner = new JobRunner({ db: tmpDb() });
    expect(caught(() => runner.start({ id: 'a b', kind: 'x', locks: [], run: async () => {} })).status).toBe(
      400,
    );
    await runner.start({ id: 'swap-1', kind: 'x', locks: [], run: async () => {} }).done;
    expect(
      caught(() => runner.start({ id: 'swap-1', kind: 'x', locks: [], run: async () => {} })).status,
    ).toBe(409);
  });
});

describe('JobRunner persistence', () => {
  it('writes phases at once, batches log and progress, and throttles progress events', async () => {
    const db = tmpDb();
    const runner = new JobRunner({ db });
    const g = gate();
    let ctx!: Parameters<Parameters<JobRunner['start']>[0]['run']>[0];
    const h = runner.start({
      kind: 'download',
      locks: [],
      run: (c) => {
        ctx = c;
        return g.promise;
      },
    });
    await sleep(1);
    const progressEvents: (number | null)[] = [];
    runner.subscribe(h.id, (e) => e.type === 'job' && progressEvents.push(e.job.progress));
    ctx.setPhase('loading');
    expect(row(db, h.id).phase).toBe('loading');
    ctx.log('one');
    ctx.log('two\nthree\n');
    for (let i = 1; i <= 100; i++) ctx.setProgress(i / 100);
    const count = () => (db.prepare('SELECT count(*) AS n FROM job_log').get() as { n: number }).n;
    expect(count()).toBe(0);
    expect(runner.get(h.id)?.progress).toBe(1);
    await vi.waitFor(() => expect(count()).toBe(3));
    expect(row(db, h.id).progress).toBe(1);
    // The phase event, then a single trailing event with the latest progress: 100 changes within
    // the throttle window reach subscribers once.
    await vi.waitFor(() => expect(progressEvents).toEqual([null, 1]));
    await sleep(300);
    expect(progressEvents).toEqual([null, 1]);
    for (let i = 0; i < 200; i++) ctx.log(`bulk ${i}`);
    expect(count()).toBe(203);
    g.open();
    await h.done;
  });

  it('keeps the newest 5000 lines and counts the dropped ones', async () => {
    const runner = new JobRunner({ db: tmpDb() });
    const h = runner.start({
      kind: 'build',
      locks: [],
      run: async (ctx) => {
        for (let i = 1; i <= 5200; i++) ctx.log(`l${i}`);
      },
    });
    await h.done;
    const lines = runner.logSince(h.id, 0, 10_000);
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toMatchObject({ seq: 201, line: 'l201' });
    expect(lines.at(-1)).toMatchObject({ seq: 5200, line: 'l5200' });
    expect(runner.detail(h.id)).toMatchObject({
      log_dropped: 200,
      log_tail: expect.arrayContaining(['l5200']),
    });
    expect(runner.detail(h.id)?.log_tail).toHaveLength(50);
  });

  it('prunes finished jobs older than 30 days at start', async () => {
    const db = tmpDb();
    const old = Date.now() - 31 * 86_400_000;
    const past = new JobRunner({ db, now: () => old });
    const h = past.start({ kind: 'x', locks: [], run: async (ctx) => ctx.log('old') });
    await h.done;
    const recent = await new JobRunner({ db }).start({ kind: 'x', locks: [], run: async () => {} }).done;
    const runner = new JobRunner({ db });
    expect(runner.get(h.id)).toBeNull();
    expect(runner.get(recent.id)?.state).toBe('succeeded');
    expect(db.prepare('SELECT count(*) AS n FROM job_log').get()).toEqual({ n: 0 });
  });
});
