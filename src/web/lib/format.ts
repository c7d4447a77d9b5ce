// Pure formatting helpers for the dashboard. No DOM, no React: unit-tested in format.test.ts.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Bytes in decimal units (as `df -H` prints them): 1 GB = 10^9 bytes. */
export function formatBytes(bytes: number | null | undefined, digits = 1): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  if (bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 ? String(Math.round(value)) : value.toFixed(value >= 100 ? 0 : digits);
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** "45.2 / 128.5 GB", "1.2 / 3.8 TB": both values in the unit that suits the total. */
export function formatBytePair(used: number | null, total: number | null): string {
  if (used == null || total == null || !Number.isFinite(used) || !Number.isFinite(total) || total < 0) {
    return '—';
  }
  let unit = 0;
  let scale = 1;
  while (total / scale >= 1000 && unit < BYTE_UNITS.length - 1) {
    scale *= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${(used / scale).toFixed(digits)} / ${(total / scale).toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Uptime the way people say it: "3 d 4 h", "5 h 12 min", "7 min", "42 s". */
export function formatUptime(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

/** Sample age for a footer: "3 s ago", "2 min ago", "1 h ago". */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3_600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A percentage for display: "37 %"; one decimal below 10 so small loads don't read as 0. */
export function formatPct(pct: number | null | undefined): string {
  if (pct == null || !Number.isFinite(pct)) return '—';
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)} %`;
}

/** The last path segment of a model id ("org/Model-7B" → "Model-7B"), for compact chips. */
export function shortModelName(model: string): string {
  const slash = model.lastIndexOf('/');
  return slash >= 0 && slash < model.length - 1 ? model.slice(slash + 1) : model;
}
