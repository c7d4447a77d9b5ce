// Pure helpers for the sparkline data: appending live points to a fetched history, and turning
// samples into uPlot's column arrays. Unit-tested in history.test.ts.
import type { HardwareHistory, HardwareHistoryPoint } from '../../common/api.js';
import { ratioPct } from './metrics.js';

/**
 * Append a live point, keeping the window to `minutes` and the samples in time order. A point not
 * newer than the last sample is ignored (the event stream replays the current snapshot on connect).
 */
export function appendHistoryPoint(
  history: HardwareHistory,
  point: HardwareHistoryPoint,
  minutes = history.minutes,
): HardwareHistory {
  const last = history.samples[history.samples.length - 1];
  if (last && point.ts <= last.ts) return history;
  const cutoff = point.ts - minutes * 60_000;
  const kept = history.samples.filter((s) => s.ts >= cutoff);
  return { ...history, samples: [...kept, point] };
}

export type ChartMetric = 'cpu' | 'ram' | 'gpu_util' | 'gpu_temp';

/** The value one chart plots for a sample; null for failed samples so the line shows a gap. */
export function metricValue(p: HardwareHistoryPoint, metric: ChartMetric): number | null {
  if (!p.ok) return null;
  switch (metric) {
    case 'cpu':
      return ratioPct(p.load1, p.cores);
    case 'ram':
      return ratioPct(p.ram_used, p.ram_total);
    case 'gpu_util':
      return p.util_pct;
    case 'gpu_temp':
      return p.temp_c;
  }
}

/** uPlot's aligned data: x in seconds, then the y values. */
export function chartSeries(
  samples: HardwareHistoryPoint[],
  metric: ChartMetric,
): [number[], (number | null)[]] {
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const s of samples) {
    xs.push(s.ts / 1000);
    ys.push(metricValue(s, metric));
  }
  return [xs, ys];
}

/** The most recent non-null value of a series, for the label beside a chart. */
export function lastValue(ys: readonly (number | null)[]): number | null {
  for (let i = ys.length - 1; i >= 0; i--) {
    const y = ys[i];
    if (y != null) return y;
  }
  return null;
}

/**
 * The top of a chart's y scale: at least `floor` (100 for percentages and °C), more when the data
 * goes higher (a CPU load above its core count), rounded up to a multiple of 10 so the label reads
 * cleanly. The chart draws exactly this range, so the label never lies about it.
 */
export function scaleMax(ys: readonly (number | null)[], floor: number): number {
  let max = floor;
  for (const y of ys) if (y != null && Number.isFinite(y) && y > max) max = y;
  return max > floor ? Math.ceil(max / 10) * 10 : floor;
}
