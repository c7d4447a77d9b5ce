// /proc/meminfo → RAM in bytes. The kernel's "kB" means KiB.
import { lines, toCount } from './numbers.js';

export interface MemInfo {
  total: number | null;
  available: number | null;
  /** total − available: what applications hold, the figure `free` shows as "used". */
  used: number | null;
}

export function parseMeminfo(text: string): MemInfo {
  const kib = new Map<string, number>();
  for (const line of lines(text)) {
    const m = /^(\w+):\s+(\d+)\s*kB$/.exec(line);
    if (!m) continue;
    const value = toCount(m[2]);
    if (value !== null && m[1] !== undefined) kib.set(m[1], value * 1024);
  }
  const total = kib.get('MemTotal') ?? null;
  // MemAvailable (kernel ≥ 3.14) counts reclaimable cache; MemFree alone would make a node with a
  // warm page cache look full.
  const available = kib.get('MemAvailable') ?? null;
  const used = total !== null && available !== null && available <= total ? total - available : null;
  return { total, available, used };
}
