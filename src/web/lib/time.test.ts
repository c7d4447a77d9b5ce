import { describe, expect, it } from 'vitest';
import {
  formatApprox,
  formatClock,
  formatDuration,
  formatWhen,
  formatWhenPrecise,
  localizeTimes,
} from './time.js';

describe('formatClock', () => {
  it('prints minutes and zero-padded seconds', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(7.9)).toBe('0:07');
    expect(formatClock(151)).toBe('2:31');
    expect(formatClock(300)).toBe('5:00');
    expect(formatClock(3_725)).toBe('1:02:05');
  });
  it('shows a dash for unknown values', () => {
    expect(formatClock(null)).toBe('—');
    expect(formatClock(-1)).toBe('—');
    expect(formatClock(Number.NaN)).toBe('—');
  });
});

describe('formatDuration / formatApprox', () => {
  it('uses seconds below 90 s, then minutes, then hours', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(89)).toBe('89 s');
    expect(formatDuration(90)).toBe('2 min');
    expect(formatDuration(180)).toBe('3 min');
    expect(formatDuration(3_600)).toBe('1 h');
    expect(formatDuration(3_900)).toBe('1 h 5 min');
  });
  it('marks estimates with a tilde', () => {
    expect(formatApprox(180)).toBe('~3 min');
    expect(formatApprox(null)).toBe('—');
  });
});

describe('formatWhen', () => {
  const opts = { locale: 'en-GB', timeZone: 'UTC' };
  const now = Date.parse('2025-03-04T10:00:00Z');
  it('prints only the time for today', () => {
    expect(formatWhen('2025-03-04T14:05:00Z', now, opts)).toBe('14:05');
  });
  it('adds the day for other days', () => {
    const s = formatWhen('2025-03-05T02:00:00Z', now, opts);
    expect(s).toContain('5 Mar');
    expect(s).toContain('02:00');
  });
  it('shows a dash for missing or bad input', () => {
    expect(formatWhen(null, now)).toBe('—');
    expect(formatWhen('not a date', now)).toBe('—');
  });
});

describe('local times only', () => {
  const now = Date.parse('2025-03-04T12:00:00Z');
  const kolkata = { locale: 'en-GB', timeZone: 'Asia/Kolkata' };
  it('says an exact moment in the local zone, with seconds', () => {
    expect(formatWhenPrecise('2025-03-04T10:15:30.500Z', now, kolkata)).toBe('15:45:30');
    expect(formatWhenPrecise('2025-03-01T10:15:30Z', now, kolkata)).toBe('Sat 1 Mar, 15:45:30');
    expect(formatWhenPrecise('nope', now, kolkata)).toBe('—');
  });
  it('rewrites every ISO moment in server text and leaves the rest alone', () => {
    expect(
      localizeTimes('The GPU is locked by eval until 2025-03-04T10:15:00.000Z (nightly run)', now, kolkata),
    ).toBe('The GPU is locked by eval until 15:45:00 (nightly run)');
    expect(localizeTimes('from 2025-03-04T10:15:00+02:00 to 2025-03-04T11:00Z.', now, kolkata)).toBe(
      'from 13:45:00 to 16:30:00.',
    );
    const plain = 'INFO 03-04 10:15:00 model 2025-03-04 loaded; Tokens 2025-03-04T10:15 no zone';
    expect(localizeTimes(plain, now, kolkata)).toBe(plain);
  });
});
