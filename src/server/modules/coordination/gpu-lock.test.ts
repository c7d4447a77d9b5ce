import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, LockResponse } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { openStore, type Db } from '../../platform/store/db.js';
import { GpuLockService } from './gpu-lock.js';
import { caughtAppError as caught } from '../../../../test/helpers/unit.js';

const T0 = Date.parse('2026-06-20T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('GpuLockService', () => {
  let dir: string;
  let db: Db;
  let bus: EventBus;
  let t: number;
  let events: LockResponse[];
  let lock: GpuLockService;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    dir = mkdtempSync(join(tmpdir(), 'sc-lock-'));
    db = openStore(dir);
    bus = new EventBus();
    t = T0;
    events = [];
    bus.subscribe((e: EventEnvelope) => {
      if (e.type === 'lock') events.push(e.data);
    });
    lock = new GpuLockService({ db, bus, now: () => t });
  });

  afterEach(() => {
    lock.stop();
    db.close();
    vi.useRealTimers();
  });

  it('acquires, reports and announces the lock', () => {
    expect(lock.current()).toEqual({ locked: false, lock: null });
    const r = lock.acquire({ holder: 'nightly-batch', ttl_s: 60, reason: 'eval run' });
    expect(r).toEqual({
      locked: true,
      lock: {
        holder: 'nightly-batch',
        reason: 'eval run',
        acquired_at: iso(T0),
        expires_at: iso(T0 + 60_000),
      },
    });
    expect(lock.current()).toEqual(r);
    expect(events).toEqual([r]);
  });

  it('renews for the same holder, keeping when it was taken and its reason', () => {
    lock.acquire({ holder: 'cron@box', ttl_s: 60, reason: 'daily' });
    t += 30_000;
    const r = lock.acquire({ holder: 'cron@box', ttl_s: 120 });
    expect(r.lock).toEqual({
      holder: 'cron@box',
      reason: 'daily',
      acquired_at: iso(T0),
      expires_at: iso(t + 120_000),
    });
    expect(events).toHaveLength(2);
  });

  it('refuses another holder with a 409 naming the holder, the expiry and the reason', () => {
    lock.acquire({ holder: 'nightly-batch', ttl_s: 600, reason: 'eval run' });
    const e = caught(() => lock.acquire({ holder: 'alice', ttl_s: 60 }));
    expect(e.code).toBe('LOCKED');
    expect(e.status).toBe(409);
    expect(e.message).toBe(`The GPU is locked by nightly-batch until ${iso(T0 + 600_000)} (eval run)`);
    expect(e.details).toEqual({ lock: lock.current().lock });
    expect(lock.current().lock?.holder).toBe('nightly-batch');
  });

  it('lets swaps through only for the holder', () => {
    expect(() => lock.assertSwapAllowed(null)).not.toThrow();
    lock.acquire({ holder: 'sched', ttl_s: 60 });
    expect(caught(() => lock.assertSwapAllowed(null)).status).toBe(409);
    expect(caught(() => lock.assertSwapAllowed('other')).message).toMatch(/locked by sched until/);
    expect(() => lock.assertSwapAllowed('sched')).not.toThrow();
  });

  it('releases by the holder, refuses other holders, and force-releases without one', () => {
    lock.acquire({ holder: 'sched', ttl_s: 60 });
    const e = caught(() => lock.release('someone'));
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/held by sched .* not by someone/);
    expect(lock.release('sched')).toEqual({ locked: false, lock: null });
    expect(lock.release('sched')).toEqual({ locked: false, lock: null }); // idempotent
    lock.acquire({ holder: 'sched', ttl_s: 60 });
    expect(lock.release()).toEqual({ locked: false, lock: null });
    expect(events.map((x) => x.locked)).toEqual([true, false, true, false]);
  });

  it('treats an expired lock as absent and lets someone else take it', () => {
    lock.acquire({ holder: 'sched', ttl_s: 10 });
    t += 10_000;
    expect(lock.current()).toEqual({ locked: false, lock: null });
    expect(db.prepare('SELECT count(*) AS n FROM gpu_lock').get()).toEqual({ n: 0 });
    expect(lock.acquire({ holder: 'alice', ttl_s: 5 }).lock?.holder).toBe('alice');
  });

  it('announces the expiry from a timer, without anyone asking', () => {
    lock.acquire({ holder: 'sched', ttl_s: 5 });
    events = [];
    t += 5_000;
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual([{ locked: false, lock: null }]);
  });

  it('re-arms the timer when it fires before the clock says the lock expired', () => {
    lock.acquire({ holder: 'sched', ttl_s: 5 });
    events = [];
    vi.advanceTimersByTime(5_000); // the injected clock has not moved
    expect(events).toEqual([]);
    t += 5_000;
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual([{ locked: false, lock: null }]);
  });

  it('survives a restart, and still expires on time after it', () => {
    lock.acquire({ holder: 'sched', ttl_s: 30, reason: 'overnight' });
    lock.stop();
    db.close();
    db = openStore(dir);
    const bus2 = new EventBus();
    const seen: EventEnvelope[] = [];
    bus2.subscribe((e) => seen.push(e));
    lock = new GpuLockService({ db, bus: bus2, now: () => t });
    expect(lock.current().lock).toMatchObject({ holder: 'sched', reason: 'overnight' });
    t += 30_000;
    vi.advanceTimersByTime(30_000);
    expect(seen.map((e) => e.type === 'lock' && e.data.locked)).toEqual([false]);
  });

  it('replays the current lock to new dashboard connections', () => {
    lock.acquire({ holder: 'sched', ttl_s: 60 });
    const replay = bus.currentState().filter((e) => e.type === 'lock');
    expect(replay).toHaveLength(1);
    expect(replay[0]?.data).toEqual(lock.current());
  });

  it('rejects bad input with 400', () => {
    const bad = [
      { holder: '', ttl_s: 60 },
      { holder: '   ', ttl_s: 60 },
      { holder: 'a/b', ttl_s: 60 },
      { holder: 'x'.repeat(65), ttl_s: 60 },
      { holder: 'ok', ttl_s: 0 },
      { holder: 'ok', ttl_s: 1.5 },
      { holder: 'ok', ttl_s: 86_401 },
      { holder: 'ok', ttl_s: 60, reason: 'r'.repeat(201) },
      { holder: 'ok', ttl_s: 60, reason: 'line\nbreak' },
    ];
    for (const input of bad) {
      const e = caught(() => lock.acquire(input));
      expect(e.status, JSON.stringify(input)).toBe(400);
    }
    expect(caught(() => lock.release('')).status).toBe(400);
    expect(lock.current().locked).toBe(false);
    expect(events).toEqual([]);
  });
});
