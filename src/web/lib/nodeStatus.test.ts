import { describe, expect, it } from 'vitest';
import { nodeStateLabel, sampleAgeS } from './nodeStatus.js';

describe('nodeStateLabel', () => {
  it('names each failure', () => {
    expect(nodeStateLabel({ ok: true, error_kind: null })).toBe('online');
    expect(nodeStateLabel({ ok: false, error_kind: 'auth_failed' })).toBe('key not authorized');
    expect(nodeStateLabel({ ok: false, error_kind: null })).toBe('unreachable');
  });
});

describe('sampleAgeS', () => {
  it('adds the time since the answer arrived to age_s', () => {
    expect(sampleAgeS(2, null, 10_000, 13_000)).toBe(5);
    expect(sampleAgeS(2, null, 10_000, 9_000)).toBe(2);
  });
  it('falls back to sampled_at', () => {
    const at = '2025-01-01T00:00:00.000Z';
    expect(sampleAgeS(null, at, 0, Date.parse(at) + 4_000)).toBe(4);
    expect(sampleAgeS(null, null, 0, 1)).toBeNull();
  });
});
