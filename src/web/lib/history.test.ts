import { describe, expect, it } from 'vitest';
import type { HardwareHistory, HardwareHistoryPoint } from '../../common/api.js';
import { appendHistoryPoint, chartSeries, lastValue, scaleMax } from './history.js';

const point = (ts: number, over: Partial<HardwareHistoryPoint> = {}): HardwareHistoryPoint => ({
  ts,
  ok: true,
  load1: 2,
  cores: 20,
  ram_used: 32e9,
  ram_total: 128e9,
  gpu_mem_used: null,
  util_pct: 40,
  temp_c: 55,
  power_w: 30,
  disk_used: null,
  disk_total: null,
  ...over,
});

const history = (samples: HardwareHistoryPoint[]): HardwareHistory => ({
  node: 'spark1',
  minutes: 60,
  samples,
});

describe('appendHistoryPoint', () => {
  it('appends newer points and drops ones outside the window', () => {
    const h = history([point(0), point(30 * 60_000)]);
    const next = appendHistoryPoint(h, point(61 * 60_000));
    expect(next.samples.map((s) => s.ts)).toEqual([30 * 60_000, 61 * 60_000]);
    expect(h.samples).toHaveLength(2);
  });
  it('ignores a replayed point', () => {
    const h = history([point(1_000)]);
    expect(appendHistoryPoint(h, point(1_000))).toBe(h);
    expect(appendHistoryPoint(h, point(500))).toBe(h);
  });
});

describe('chartSeries', () => {
  it('gives seconds on x and gaps for failed samples', () => {
    const [xs, ys] = chartSeries([point(2_000), point(7_000, { ok: false })], 'cpu');
    expect(xs).toEqual([2, 7]);
    expect(ys).toEqual([10, null]);
    expect(chartSeries([point(1_000)], 'gpu_temp')[1]).toEqual([55]);
  });
});

describe('lastValue', () => {
  it('skips trailing gaps', () => {
    expect(lastValue([1, 2, null])).toBe(2);
    expect(lastValue([null])).toBeNull();
    expect(lastValue([])).toBeNull();
  });
});

describe('scaleMax', () => {
  it('keeps the floor unless the data goes higher, then rounds up to a tens', () => {
    expect(scaleMax([], 100)).toBe(100);
    expect(scaleMax([null, 12, 99.5], 100)).toBe(100);
    expect(scaleMax([40, 137.2, null], 100)).toBe(140);
    expect(scaleMax([Number.NaN, Number.POSITIVE_INFINITY], 100)).toBe(100);
  });
});
