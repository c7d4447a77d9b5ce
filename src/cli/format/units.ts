// Human units for tables and progress lines: decimal bytes (like `df -H` and the dashboard),
// short durations, percentages.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '-';
  let v = n;
  let u = 0;
  while (v >= 1000 && u < BYTE_UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${BYTE_UNITS[u]}`;
}

/** `42s`, `3m05s`, `2h03m`, `4d02h`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  const two = (x: number) => String(x).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}

/** A 0..1 fraction (or 0..100 with `scale: 1`) as a whole percentage; `-` when unknown. */
export function percent(value: number | null | undefined, scale = 100): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${Math.round(value * scale)}%`;
}

/** `used/total` in bytes, e.g. `41.2 GB/128 GB`. */
export function usedOf(used: number | null | undefined, total: number | null | undefined): string {
  if (used === null || used === undefined) return '-';
  return total ? `${bytes(used)}/${bytes(total)}` : bytes(used);
}
