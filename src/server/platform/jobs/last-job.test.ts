import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../common/api.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { badEndToExplain, RECENT_END_MS } from './last-job.js';
import { JobRunner } from './runner.js';

afterEach(closeTempStores);

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
