import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatBytePair, formatPct, formatUptime, shortModelName } from './format.js';

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.5 KB');
    expect(formatBytes(128.5e9)).toBe('129 GB');
    expect(formatBytes(3.84e12)).toBe('3.8 TB');
  });
  it('shows a dash for unknown values', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('formatBytePair', () => {
  it('prints used and total in the unit of the total', () => {
    expect(formatBytePair(45.23e9, 128.5e9)).toBe('45.2 / 128.5 GB');
    expect(formatBytePair(1.2e12, 3.84e12)).toBe('1.2 / 3.8 TB');
    expect(formatBytePair(12, 512)).toBe('12 / 512 B');
    expect(formatBytePair(null, 1e9)).toBe('—');
  });
});

describe('formatUptime', () => {
  it('says days and hours', () => {
    expect(formatUptime(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 d 4 h');
    expect(formatUptime(5 * 3_600 + 12 * 60)).toBe('5 h 12 min');
    expect(formatUptime(7 * 60 + 3)).toBe('7 min');
    expect(formatUptime(42.9)).toBe('42 s');
    expect(formatUptime(null)).toBe('—');
  });
});

describe('formatAge', () => {
  it('ticks in seconds, then minutes and hours', () => {
    expect(formatAge(3.7)).toBe('3 s ago');
    expect(formatAge(-2)).toBe('0 s ago');
    expect(formatAge(125)).toBe('2 min ago');
    expect(formatAge(7_300)).toBe('2 h ago');
    expect(formatAge(null)).toBe('unknown');
  });
});

describe('formatPct / shortModelName', () => {
  it('keeps small values readable', () => {
    expect(formatPct(3.14)).toBe('3.1 %');
    expect(formatPct(0)).toBe('0 %');
    expect(formatPct(87.6)).toBe('88 %');
    expect(formatPct(null)).toBe('—');
  });
  it('shortens model ids', () => {
    expect(shortModelName('Qwen/Qwen3-32B')).toBe('Qwen3-32B');
    expect(shortModelName('plain')).toBe('plain');
    expect(shortModelName('trailing/')).toBe('trailing/');
  });
});
