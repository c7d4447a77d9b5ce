import { describe, expect, it } from 'vitest';
import { availabilityWindow, subjectAvailability, type StateChange } from './availability.js';

const H = 3_600_000;
const MIN = 60_000;
// A day boundary: buckets of 15 min line up with it.
const DAY = Date.parse('2026-06-20T00:00:00.000Z');
const at = (min: number) => DAY + min * MIN;
const up = (min: number): StateChange => ({ at: at(min), state: 'up' });
const down = (min: number): StateChange => ({ at: at(min), state: 'down' });
/** [up, down, unknown] per bucket. */
const shares = (r: ReturnType<typeof subjectAvailability>) => r.buckets.map((b) => [b.up, b.down, b.unknown]);

describe('availabilityWindow', () => {
  it.each([
    // now, hours, bucket_min → first bucket start, end
    ['mid-bucket', at(7), 1, 15, at(15 - 60), at(15)],
    ['exactly on an edge: the bucket ending now is the last', at(15), 1, 15, at(15 - 60), at(15)],
    ['one minute past an edge', at(16), 1, 15, at(30 - 60), at(30)],
    ['24 h of 15 min', at(0) + 1, 24, 15, at(15) - 24 * H, at(15)],
  ])('%s', (_name, now, hours, bucketMin, from, end) => {
    const w = availabilityWindow(now, hours, bucketMin);
    expect(w).toEqual({ from, end, now, bucketMs: bucketMin * MIN });
    expect((w.end - w.from) / w.bucketMs).toBe((hours * 60) / bucketMin);
  });
});

describe('subjectAvailability', () => {
  // One hour of 15-minute buckets starting at DAY, clock at the end of the hour.
  const hour = availabilityWindow(at(60), 1, 15);

  it('a subject with no changes is unknown throughout', () => {
    const r = subjectAvailability([], hour);
    expect(shares(r)).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(r).toMatchObject({ up_pct: null, transitions: 0, outages: 0 });
    expect(r.buckets[0]?.start).toBe('2026-06-20T00:00:00.000Z');
  });

  it('a period that started before the window fills it from the start', () => {
    const r = subjectAvailability([up(-600)], hour);
    expect(shares(r)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    // The change before the window is not one of the window's transitions.
    expect(r).toMatchObject({ up_pct: 100, transitions: 0, outages: 0 });
  });

  it('splits buckets at each change and counts outages', () => {
    const r = subjectAvailability([up(-5), down(20), up(35), down(45)], hour);
    expect(shares(r)).toEqual([
      [1, 0, 0],
      [0.3333, 0.6667, 0],
      [0.6667, 0.3333, 0],
      [0, 1, 0],
    ]);
    expect(r).toMatchObject({ transitions: 3, outages: 2, up_pct: 50 });
  });

  it('unknown until the first change, even inside a bucket', () => {
    const r = subjectAvailability([up(5), down(50)], hour);
    expect(shares(r)).toEqual([
      [0.6667, 0, 0.3333],
      [1, 0, 0],
      [1, 0, 0],
      [0.3333, 0.6667, 0],
    ]);
    expect(r.up_pct).toBe(81.82);
  });

  it('the open period runs to now, and the running bucket counts its elapsed time only', () => {
    const w = availabilityWindow(at(50), 1, 15); // buckets start at 0, 15, 30, 45; now is 50
    const r = subjectAvailability([up(-30), down(47)], w);
    expect(r.buckets.map((b) => b.start)).toEqual([0, 15, 30, 45].map((m) => new Date(at(m)).toISOString()));
    expect(shares(r)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      // 45..50 elapsed: 2 min up, 3 min down.
      [0.4, 0.6, 0],
    ]);
    expect(r.outages).toBe(1);
  });

  it('clock exactly on an edge: a change at that instant takes no time, a change at the window start counts', () => {
    const r = subjectAvailability([down(0), up(60)], hour);
    expect(shares(r)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(r).toMatchObject({ transitions: 2, outages: 1, up_pct: 0 });
  });

  it('ignores changes stamped after now (a clock that went back)', () => {
    const w = availabilityWindow(at(30), 1, 15);
    const r = subjectAvailability([up(-100), down(40)], w);
    expect(shares(r).every(([u]) => u === 1)).toBe(true);
    expect(r).toMatchObject({ transitions: 0, outages: 0 });
  });

  it('shares always sum to 1', () => {
    const changes = [up(-1), down(7), up(8), down(9), up(31), down(59)];
    for (const b of subjectAvailability(changes, hour).buckets)
      expect(b.up + b.down + b.unknown).toBeCloseTo(1, 3);
  });
});
