import { describe, expect, it } from 'vitest';
import type { NodeHardware } from '../../common/api.js';
import { barLevel, clampPct, hfCacheIsSeparate, nodeMetrics, ratioPct } from './metrics.js';

const node = (over: Partial<NodeHardware> = {}): NodeHardware => ({
  name: 'spark1',
  host: 'spark1.local',
  ok: true,
  error: null,
  error_kind: null,
  hostname: 'spark1',
  uptime_s: 100,
  load1: 5,
  load5: 4,
  load15: 3,
  cores: 20,
  ram_total: 128e9,
  ram_used: 64e9,
  ram_available: 64e9,
  disk_total: 4e12,
  disk_used: 1e12,
  disk_free: 3e12,
  hf_cache: { path: '/home/u/.cache/huggingface', total: 4e12, used: 1e12, free: 3e12 },
  gpu: { name: 'NVIDIA GB10', util_pct: 50, temp_c: 60, power_w: 70 },
  gpu_mem_used: 32e9,
  gpu_mem_total: 128e9,
  gpu_unified_memory: true,
  mac: null,
  wg_iface: null,
  wg_ip: null,
  sampled_at: null,
  age_s: null,
  ...over,
});

describe('barLevel', () => {
  it('warns above 80 % and is dangerous above 92 %', () => {
    expect(barLevel(80)).toBe('ok');
    expect(barLevel(80.1)).toBe('warn');
    expect(barLevel(92)).toBe('warn');
    expect(barLevel(92.5)).toBe('danger');
    expect(barLevel(null)).toBe('ok');
  });
});

describe('ratioPct / clampPct', () => {
  it('guards unknown and zero totals', () => {
    expect(ratioPct(1, 4)).toBe(25);
    expect(ratioPct(1, 0)).toBeNull();
    expect(ratioPct(null, 4)).toBeNull();
  });
  it('clamps bar widths', () => {
    expect(clampPct(150)).toBe(100);
    expect(clampPct(-3)).toBe(0);
    expect(clampPct(null)).toBe(0);
  });
});

describe('nodeMetrics', () => {
  it('derives every bar', () => {
    const m = nodeMetrics(node());
    expect(m.cpuPct).toBe(25);
    expect(m.ramPct).toBe(50);
    expect(m.gpuMemPct).toBe(25);
    expect(m.gpuUtilPct).toBe(50);
    expect(m.gpuTempPct).toBe(60);
    expect(m.gpuPowerPct).toBeCloseTo(50);
    expect(m.diskPct).toBe(25);
  });
  it('copes with a node without a GPU reading', () => {
    const m = nodeMetrics(node({ gpu: null, gpu_mem_total: null }));
    expect(m.gpuUtilPct).toBeNull();
    expect(m.gpuMemPct).toBeNull();
  });
});

describe('hfCacheIsSeparate', () => {
  it('treats identical sizes as the root filesystem', () => {
    expect(hfCacheIsSeparate(node())).toBe(false);
    expect(hfCacheIsSeparate(node({ hf_cache: null }))).toBe(false);
  });
  it('spots a different filesystem', () => {
    const hf = { path: '/data/hf', total: 2e12, used: 1e11, free: 1.9e12 };
    expect(hfCacheIsSeparate(node({ hf_cache: hf }))).toBe(true);
  });
});
