// Pure derivations from hardware samples: the percentages the bars and charts show, and the
// warn/danger thresholds. Unit-tested in metrics.test.ts.
import type { HardwareHistoryPoint, NodeHardware } from '../../common/api.js';

export type BarLevel = 'ok' | 'warn' | 'danger';

export const WARN_PCT = 80;
export const DANGER_PCT = 92;
/** A GB10 draws at most about this much; the power bar is drawn against it. */
export const GPU_POWER_REF_W = 140;
/** Temperatures are drawn against 100 °C. */
export const GPU_TEMP_REF_C = 100;

/** Colour band for a bar: warn above 80 %, danger above 92 %. */
export function barLevel(pct: number | null | undefined): BarLevel {
  if (pct == null || !Number.isFinite(pct)) return 'ok';
  if (pct > DANGER_PCT) return 'danger';
  if (pct > WARN_PCT) return 'warn';
  return 'ok';
}

/** part / whole as a percentage, or null when either is unknown or whole is not positive. */
export function ratioPct(part: number | null | undefined, whole: number | null | undefined): number | null {
  if (part == null || whole == null || !Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) {
    return null;
  }
  return (part / whole) * 100;
}

/** Bar width in percent, clamped to 0–100 (CPU load can exceed 100 %). */
export function clampPct(pct: number | null | undefined): number {
  if (pct == null || !Number.isFinite(pct)) return 0;
  return Math.min(100, Math.max(0, pct));
}

/** The values one node card shows, derived once per sample. */
export interface NodeMetrics {
  cpuPct: number | null;
  ramPct: number | null;
  gpuMemPct: number | null;
  gpuUtilPct: number | null;
  gpuTempPct: number | null;
  gpuPowerPct: number | null;
  diskPct: number | null;
  hfCachePct: number | null;
}

export function nodeMetrics(n: NodeHardware): NodeMetrics {
  return {
    cpuPct: ratioPct(n.load1, n.cores),
    ramPct: ratioPct(n.ram_used, n.ram_total),
    gpuMemPct: ratioPct(n.gpu_mem_used, n.gpu_mem_total),
    gpuUtilPct: n.gpu?.util_pct ?? null,
    gpuTempPct: ratioPct(n.gpu?.temp_c, GPU_TEMP_REF_C),
    gpuPowerPct: ratioPct(n.gpu?.power_w, GPU_POWER_REF_W),
    diskPct: ratioPct(n.disk_used, n.disk_total),
    hfCachePct: n.hf_cache ? ratioPct(n.hf_cache.used, n.hf_cache.total) : null,
  };
}

/**
 * Whether the HF cache lives on a different filesystem than `/`. The API gives no device id, so
 * compare sizes: the same filesystem reports the same total, and `used` within 0.1 % (writes may
 * land between the two `df` readings).
 */
export function hfCacheIsSeparate(n: NodeHardware): boolean {
  const hf = n.hf_cache;
  if (!hf) return false;
  if (n.disk_total == null || n.disk_used == null) return true;
  if (hf.total !== n.disk_total) return true;
  return Math.abs(hf.used - n.disk_used) > n.disk_total * 0.001;
}

/** A history point built from a live sample, so charts can grow between history fetches. */
export function historyPointFromNode(n: NodeHardware, ts: number): HardwareHistoryPoint {
  return {
    ts,
    ok: n.ok,
    load1: n.load1,
    cores: n.cores,
    ram_used: n.ram_used,
    ram_total: n.ram_total,
    gpu_mem_used: n.gpu_mem_used,
    util_pct: n.gpu?.util_pct ?? null,
    temp_c: n.gpu?.temp_c ?? null,
    power_w: n.gpu?.power_w ?? null,
    disk_used: n.disk_used,
    disk_total: n.disk_total,
  };
}
