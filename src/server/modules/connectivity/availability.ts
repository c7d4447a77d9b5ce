// The availability strip (SPEC §3, issue 14): a window cut into equal buckets, each saying which
// share of its time a subject was up, down or unknown, computed from the state changes active
// polling recorded. Pure: the store hands in the changes, the route hands in the clock.
import type { AvailabilityBucket, ConnectivityState, SubjectAvailability } from '../../../common/api.js';

export interface StateChange {
  /** Milliseconds since the epoch. */
  at: number;
  state: ConnectivityState;
}

export interface AvailabilityWindow {
  /** Start of the first bucket. */
  from: number;
  /** End of the last bucket; may lie past `now` (the current bucket is still running). */
  end: number;
  now: number;
  bucketMs: number;
}

export const MAX_BUCKETS = 1000;

/**
 * Buckets sit on multiples of their length since the epoch (a 15-minute strip starts at :00, :15,
 * …), so cells stay put between refreshes. The last bucket holds `now`; when `now` is exactly on an
 * edge the bucket ending there is the last one (no empty bucket that has not started).
 */
export function availabilityWindow(now: number, hours: number, bucketMin: number): AvailabilityWindow {
  const bucketMs = bucketMin * 60_000;
  const end = Math.ceil(now / bucketMs) * bucketMs;
  return { from: end - hours * 3_600_000, end, now, bucketMs };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * `changes` sorted oldest first, including the last one before the window (it says what state the
 * window began in); before the first change the state is unknown. The period open at `now` runs to
 * `now`, and the running bucket's shares are of its elapsed time only.
 */
export function subjectAvailability(changes: StateChange[], w: AvailabilityWindow): SubjectAvailability {
  // The timeline as periods [start, stop) clipped to the window's elapsed part.
  const stopAt = Math.min(w.end, w.now);
  const periods: { start: number; stop: number; state: ConnectivityState }[] = [];
  let state: ConnectivityState = 'unknown';
  let since = -Infinity;
  for (const c of changes) {
    if (c.at > stopAt) break;
    periods.push({ start: since, stop: c.at, state });
    state = c.state;
    since = c.at;
  }
  periods.push({ start: since, stop: stopAt, state });

  const count = Math.round((w.end - w.from) / w.bucketMs);
  const totals = { up: 0, down: 0, unknown: 0 };
  const buckets: AvailabilityBucket[] = [];
  for (let i = 0; i < count; i++) {
    const start = w.from + i * w.bucketMs;
    const stop = Math.min(start + w.bucketMs, stopAt);
    const time = { up: 0, down: 0, unknown: 0 };
    for (const p of periods) {
      const overlap = Math.min(stop, p.stop) - Math.max(start, p.start);
      if (overlap > 0) time[p.state] += overlap;
    }
    const elapsed = stop - start;
    totals.up += time.up;
    totals.down += time.down;
    totals.unknown += time.unknown;
    buckets.push({
      start: new Date(start).toISOString(),
      // A bucket that has not begun (only when the clock is behind the window) counts as unknown.
      up: elapsed > 0 ? round4(time.up / elapsed) : 0,
      down: elapsed > 0 ? round4(time.down / elapsed) : 0,
      unknown: elapsed > 0 ? round4(time.unknown / elapsed) : 1,
    });
  }
  const inWindow = changes.filter((c) => c.at >= w.from && c.at <= stopAt);
  const known = totals.up + totals.down;
  return {
    buckets,
    up_pct: known > 0 ? Math.round((totals.up / known) * 10_000) / 100 : null,
    transitions: inWindow.length,
    outages: inWindow.filter((c) => c.state === 'down').length,
  };
}
