// Pure helpers for the GPU lock line.
import type { GpuLock, LockResponse } from '../../common/api.js';
import { formatWhen } from './time.js';

/** The lock in force at `now`, or null (a lock past its expiry no longer counts). */
export function activeLock(res: LockResponse | null | undefined, now: number): GpuLock | null {
  if (!res?.locked || !res.lock) return null;
  const expires = Date.parse(res.lock.expires_at);
  if (Number.isFinite(expires) && expires <= now) return null;
  return res.lock;
}

/** Why Switch is refused while someone holds the lock, in local time. */
export function lockSentence(lock: GpuLock, now: number): string {
  const why = lock.reason ? ` (${lock.reason})` : '';
  return `The GPU is locked by ${lock.holder}${why} until ${formatWhen(lock.expires_at, now)}; switches are refused until it is released or expires.`;
}
