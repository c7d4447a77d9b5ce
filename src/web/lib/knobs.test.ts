import { describe, expect, it } from 'vitest';
import type { Knobs, NodeHardware } from '../../common/api.js';
import {
  contextHelp,
  contextPages,
  knobFormFrom,
  knobsDiff,
  nodeMemoryBytes,
  parseKnobForm,
  utilizationHelp,
} from './knobs.js';

const knobs: Knobs = {
  max_model_len: 32768,
  gpu_memory_utilization: 0.85,
  fastsafetensors: true,
  prefix_caching: false,
  fp8_kv_cache: false,
};

describe('parseKnobForm', () => {
  it('round-trips valid values', () => {
    expect(parseKnobForm(knobFormFrom(knobs))).toEqual({ knobs, errors: {} });
  });
  it('treats empty fields as unset', () => {
    const r = parseKnobForm({ ...knobFormFrom(knobs), max_model_len: ' ', gpu_memory_utilization: '' });
    expect(r.knobs?.max_model_len).toBeNull();
    expect(r.knobs?.gpu_memory_utilization).toBeNull();
  });
  it('rejects what the server rejects', () => {
    for (const bad of ['0', '-5', '1.5', 'abc', '1e4']) {
      expect(parseKnobForm({ ...knobFormFrom(knobs), max_model_len: bad }).errors.max_model_len).toBeTruthy();
    }
    for (const bad of ['0', '1.01', '-0.5', 'x']) {
      const r = parseKnobForm({ ...knobFormFrom(knobs), gpu_memory_utilization: bad });
      expect(r.errors.gpu_memory_utilization).toBeTruthy();
      expect(r.knobs).toBeNull();
    }
    expect(parseKnobForm({ ...knobFormFrom(knobs), gpu_memory_utilization: '1' }).knobs).not.toBeNull();
  });
});

describe('knobsDiff', () => {
  it('keeps only changed knobs', () => {
    expect(knobsDiff(knobs, { ...knobs })).toEqual({});
    expect(knobsDiff(knobs, { ...knobs, fp8_kv_cache: true, max_model_len: null })).toEqual({
      fp8_kv_cache: true,
      max_model_len: null,
    });
  });
});

describe('memory help', () => {
  const node = { gpu_mem_total: null, ram_total: 128e9, gpu_unified_memory: true } as NodeHardware;
  it('uses unified RAM on GB10', () => {
    expect(nodeMemoryBytes(node)).toBe(128e9);
    expect(nodeMemoryBytes({ ...node, gpu_mem_total: 80e9 })).toBe(80e9);
    expect(nodeMemoryBytes({ ...node, gpu_unified_memory: false })).toBeNull();
    expect(nodeMemoryBytes(undefined)).toBeNull();
  });
  it('says what a utilization allocates and leaves', () => {
    const h = utilizationHelp(0.5, 128e9, 31);
    expect(h.allocatedGb).toBe(64);
    expect(h.leftGb).toBe(64);
    expect(h.kvGb).toBe(33);
    expect(h.text).toContain('~64 GB allocated · ~64 GB left');
  });
  it('warns when the weights do not fit', () => {
    expect(utilizationHelp(0.2, 128e9, 40).text).toContain('do not fit');
  });
});

describe('context help', () => {
  it('counts pages at 0.75 words per token and 500 words a page', () => {
    expect(contextPages(32768)).toBe(49);
    expect(contextPages(100)).toBe(1);
    expect(contextHelp(32768)).toContain('~49 pages of text (~24,576 words)');
    expect(contextHelp(null)).toContain("model's own maximum");
  });
});
