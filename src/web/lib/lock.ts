// Pure helpers for the GPU lock line.
import type { GpuLock, LockResponse } from '../../common/api.js';

/** The lock in force at `now`, or null (a lock past its expiry no longer counts). */
export function activeLock(res: LockResponse | null | undefined, now: number): GpuLock | null {
  if (!res?.locked || !res.lock) return null;
  const expires = Date.parse(res.lock.expires_at);
  if (Number.isFinite(expires) && expires <= now) return null;
  return res.lock;
}
