// The GPU lock (SPEC §5): an external scheduler takes it before swapping, and until it releases
// it or its TTL runs out every swap from anyone else is refused. It lives in SQLite so a
// control-plane restart does not silently hand the GPU to whoever clicks first.
import type { GpuLock, LockResponse } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { Db } from '../../platform/store/db.js';
import { checkHolder, MAX_REASON, MAX_TTL_S, optionalText } from './validate.js';

export interface GpuLockOptions {
  db: Db;
  bus: EventBus;
  /** Milliseconds since the epoch; tests inject a clock they move by hand. */
  now?: () => number;
}

export interface AcquireInput {
  holder: string;
  ttl_s: number;
  reason?: string | null;
}

interface Row {
  holder: string;
  reason: string | null;
  acquired_at: number;
  expires_at: number;
}

/** setTimeout overflows (and fires at once) beyond this delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const toLock = (r: Row): GpuLock => ({
  holder: r.holder,
  reason: r.reason,
  acquired_at: new Date(r.acquired_at).toISOString(),
  expires_at: new Date(r.expires_at).toISOString(),
});

const response = (r: Row | null): LockResponse => ({ locked: r !== null, lock: r ? toLock(r) : null });

function lockedError(r: Row): AppError {
  const lock = toLock(r);
  const why = r.reason ? ` (${r.reason})` : '';
  return new AppError('LOCKED', `The GPU is locked by ${r.holder} until ${lock.expires_at}${why}`, {
    details: { lock },
  });
}

export class GpuLockService {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private readonly select;
  private readonly write;
  private readonly remove;

  constructor(private readonly o: GpuLockOptions) {
    this.now = o.now ?? Date.now;
    this.select = o.db.prepare('SELECT holder, reason, acquired_at, expires_at FROM gpu_lock WHERE id = 1');
    this.write = o.db.prepare(`INSERT OR REPLACE INTO gpu_lock (id, holder, reason, acquired_at, expires_at)
      VALUES (1, @holder, @reason, @acquired_at, @expires_at)`);
    this.remove = o.db.prepare('DELETE FROM gpu_lock WHERE id = 1');
    o.bus.addReplay(() => [{ type: 'lock', ts: new Date().toISOString(), data: this.current() }]);
    // A lock persisted before a restart must still expire (and tell the dashboard) on time.
    this.armTimer();
  }

  current(): LockResponse {
    return response(this.live());
  }

  /** Takes the lock, or renews it when the same holder already has it. */
  acquire(input: AcquireInput): LockResponse {
    const holder = checkHolder(input.holder);
    const ttl = input.ttl_s;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_S)
      throw new AppError(
        'INVALID_INPUT',
        `"ttl_s" must be a whole number of seconds from 1 to ${MAX_TTL_S}.`,
      );
    const reason = optionalText(input.reason, 'reason', MAX_REASON);
    // IMMEDIATE: two processes sharing the file cannot both see "free" and both take it.
    const row = this.o.db
      .transaction(() => {
        const held = this.live();
        if (held && held.holder !== holder) throw lockedError(held);
        const now = this.now();
        const next: Row = {
          holder,
          // A renewal without a reason keeps the one given when the lock was taken.
          reason: reason ?? held?.reason ?? null,
          acquired_at: held?.acquired_at ?? now,
          expires_at: now + ttl * 1000,
        };
        this.write.run(next);
        return next;
      })
      .immediate();
    this.changed();
    return response(row);
  }

  /**
   * Without a holder: force release (the dashboard's confirmed "release" button). With one:
   * only that holder may release; releasing a free lock is a no-op so retries are safe.
   */
  release(holder?: string | null): LockResponse {
    const by = holder === undefined || holder === null ? null : checkHolder(holder);
    const held = this.live();
    if (!held) return response(null);
    if (by !== null && held.holder !== by) {
      const lock = toLock(held);
      throw new AppError(
        'LOCKED',
        `The GPU lock is held by ${held.holder} until ${lock.expires_at}, not by ${by}; ` +
          'only its holder can release it (or force-release it without a holder).',
        { details: { lock } },
      );
    }
    this.remove.run();
    this.changed();
    return response(null);
  }

  /** Called by the swap path: passes when the lock is free or held by `holder` itself. */
  assertSwapAllowed(holder: string | null): void {
    const held = this.live();
    if (held && held.holder !== holder) throw lockedError(held);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The unexpired lock, or null. An expired row is deleted here, lazily, and announced. */
  private live(): Row | null {
    const row = this.select.get() as Row | undefined;
    if (!row) return null;
    if (row.expires_at > this.now()) return row;
    this.remove.run();
    this.changed();
    return null;
  }

  private changed(): void {
    this.o.bus.publish('lock', response((this.select.get() as Row | undefined) ?? null));
    this.armTimer();
  }

  private armTimer(): void {
    this.stop();
    const row = this.select.get() as Row | undefined;
    if (!row) return;
    const delay = Math.min(Math.max(0, row.expires_at - this.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      // live() announces the expiry; if the clock says "not yet", wait for the rest.
      if (this.live()) this.armTimer();
    }, delay);
    this.timer.unref();
  }
}
