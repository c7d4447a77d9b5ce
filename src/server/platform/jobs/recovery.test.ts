// Restart behaviour: a second runner on the same database finds the first one's running jobs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../http/errors.js';
import type { Db } from '../store/db.js';
import { JobRunner } from './runner.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import type { JobContext } from './types.js';

const tmpDb = () => trackedTempDb('sc-jobs-');
afterEach(closeTempStores);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = () => new Promise<void>(() => {});

/** A job that a "crashed" process left running: three lines written, then the process is gone. */
async function crashedSwap(db: Db): Promise<string> {
  const first = new JobRunner({ db });
  const h = first.start({
    kind: 'swap',
    title: 'a model swap to Qwen3',
    locks: ['gpu'],
    run: async (ctx) => {
      ctx.setPhase('loading');
      for (const l of ['stop', 'launch', 'loading weights']) ctx.log(l);
      await never();
    },
  });
  // Past one batch window the lines are on disk; the "crashed" runner is simply abandoned.
  await vi.waitFor(() => expect(db.prepare('SELECT count(*) AS n FROM job_log').get()).toEqual({ n: 3 }));
  return h.id;
}

describe('JobRunner restart', () => {
  it('holds a crashed job and its locks until recovery, then marks it interrupted', async () => {
    const db = tmpDb();
    const id = await crashedSwap(db);
    const runner = new JobRunner({ db });
    expect(runner.get(id)?.state).toBe('running');
    expect(runner.holder('gpu')?.id).toBe(id);
    expect(() => runner.start({ kind: 'swap', locks: ['gpu'], run: async () => {} })).toThrow(
      /A model swap to Qwen3 is running/,
    );
    expect(runner.recoverInterrupted()).toEqual({ resumed: [], interrupted: [id] });
    expect(runner.get(id)).toMatchObject({ state: 'interrupted', phase: 'loading' });
    expect(runner.get(id)?.error).toMatch(/restarted/);
    expect(runner.holder('gpu')).toBeNull();
    expect(runner.logSince(id).map((l) => l.line)).toEqual(['stop', 'launch', 'loading weights']);
    expect(new JobRunner({ db }).get(id)?.state).toBe('interrupted');
  });

  it('resumes a crashed job with its kind’s handler, locks re-held and the log continuing', async () => {
    const db = tmpDb();
    const id = await crashedSwap(db);
    const runner = new JobRunner({ db });
    let release!: () => void;
    runner.registerRecovery('swap', async (info, ctx: JobContext) => {
      expect(info).toMatchObject({ id, phase: 'loading', state: 'running' });
      ctx.log('vLLM is ready');
      await new Promise<void>((r) => (release = r));
    });
    expect(runner.recoverInterrupted()).toEqual({ resumed: [id], interrupted: [] });
    await sleep(5);
    expect(runner.holder('gpu')?.id).toBe(id);
    expect(() => runner.start({ kind: 'swap', locks: ['gpu'], run: async () => {} })).toThrow(AppError);
    release();
    expect(await runner.settled(id, 1000)).toMatchObject({ state: 'succeeded' });
    const log = runner.logSince(id);
    expect(log.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.map((l) => l.line)).toEqual([
      'stop',
      'launch',
      'loading weights',
      '(control plane restarted; re-attached to this job)',
      'vLLM is ready',
    ]);
    expect(runner.holder('gpu')).toBeNull();
  });

  it('cancelling a job awaiting recovery ends it and frees its locks', async () => {
    const db = tmpDb();
    const id = await crashedSwap(db);
    const runner = new JobRunner({ db });
    expect(runner.cancel(id).state).toBe('cancelled');
    expect(runner.holder('gpu')).toBeNull();
    expect(runner.recoverInterrupted()).toEqual({ resumed: [], interrupted: [] });
  });

  it('shutdown aborts jobs without ending them, so the next process can recover them', async () => {
    const db = tmpDb();
    const runner = new JobRunner({ db });
    const h = runner.start({
      kind: 'swap',
      locks: ['gpu'],
      run: (ctx) =>
        new Promise<void>((_, reject) => {
          ctx.log('loading');
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const done = runner.start({ kind: 'x', locks: [], run: async () => {} });
    await done.done;
    await sleep(1);
    await runner.shutdown(1000);
    expect((await h.done).state).toBe('running');
    expect(() => runner.start({ kind: 'x', locks: [], run: async () => {} })).toThrow(/shutting down/);
    const next = new JobRunner({ db });
    expect(next.get(h.id)?.state).toBe('running');
    expect(next.logSince(h.id).map((l) => l.line)).toEqual(['loading']);
    expect(next.recoverInterrupted().interrupted).toEqual([h.id]);
  });
});
