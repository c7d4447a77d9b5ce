// Small helpers for reporting latency figures.
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

/** Median (the middle run of an odd count), fastest and slowest, rounded to `digits`. */
export function spread(values: number[], digits = 0): { p50: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return {
    p50: round(s[Math.floor(s.length / 2)] ?? NaN, digits),
    min: round(s[0] ?? NaN, digits),
    max: round(s.at(-1) ?? NaN, digits),
  };
}
