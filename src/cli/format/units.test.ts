import { describe, expect, it } from 'vitest';
import { bytes, duration, percent, usedOf } from './units.js';

describe('units', () => {
  it('bytes: decimal units with three significant digits', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(999)).toBe('999 B');
    expect(bytes(1000)).toBe('1.00 kB');
    expect(bytes(12_345_678)).toBe('12.3 MB');
    expect(bytes(128e9)).toBe('128 GB');
    expect(bytes(3.5e15)).toBe('3.50 PB');
    expect(bytes(null)).toBe('-');
    expect(bytes(-1)).toBe('-');
    expect(bytes(Number.NaN)).toBe('-');
  });

  it('duration: the two largest units', () => {
    expect(duration(0)).toBe('0s');
    expect(duration(59.4)).toBe('59s');
    expect(duration(65)).toBe('1m05s');
    expect(duration(7380)).toBe('2h03m');
    expect(duration(180_000)).toBe('2d02h');
    expect(duration(null)).toBe('-');
  });

  it('percent and used/total', () => {
    expect(percent(0.456)).toBe('46%');
    expect(percent(37, 1)).toBe('37%');
    expect(percent(null)).toBe('-');
    expect(usedOf(41.2e9, 128e9)).toBe('41.2 GB/128 GB');
    expect(usedOf(5e6, null)).toBe('5.00 MB');
    expect(usedOf(null, 1)).toBe('-');
  });
});
