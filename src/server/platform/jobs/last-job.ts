// Which ended job a card still has to explain. A job that holds a lock is shown as running; once
// it ends its lock is free and nothing else remembers it, so an install or a reapply cut short by
// a control-plane restart would vanish from the dashboard. The last job that ended on a lock is
// kept in view when it went wrong, recently, and nothing has run on that lock since: whatever runs
// next (a retry, a restart, a removal) replaces it, and after a day it is history (GET /api/jobs).
// The owner can also dismiss it (POST /api/jobs/{id}/dismiss): read and understood, stop showing it.
import type { JobInfo } from '../../../common/api.js';

/** How long an interrupted or failed job stays on its card. */
export const RECENT_END_MS = 24 * 60 * 60_000;

export type BadEnd = JobInfo & { state: 'interrupted' | 'failed' };

export interface LastJobInput {
  /** The job holding the lock now (it is what the card shows while it runs). */
  holder: JobInfo | null;
  /** The job that last ended while holding the lock. */
  last: JobInfo | null;
  now: number;
  withinMs?: number;
}

export function badEndToExplain({
  holder,
  last,
  now,
  withinMs = RECENT_END_MS,
}: LastJobInput): BadEnd | null {
  if (holder || !last) return null;
  if (last.state !== 'interrupted' && last.state !== 'failed') return null;
  if (last.dismissed_at !== undefined) return null;
  const ended = last.finished_at === null ? Number.NaN : Date.parse(last.finished_at);
  // A row without an end time cannot be placed in time: not shown rather than shown forever.
  if (!Number.isFinite(ended) || now - ended > withinMs) return null;
  return last as BadEnd;
}

/** The lookup every caller does: the runner's holder and last ended job on `lock`, judged now. */
export function badEndOn(
  runner: { holder(lock: string): JobInfo | null; lastEnded(lock: string): JobInfo | null },
  lock: string,
  now: number,
): BadEnd | null {
  return badEndToExplain({ holder: runner.holder(lock), last: runner.lastEnded(lock), now });
}
