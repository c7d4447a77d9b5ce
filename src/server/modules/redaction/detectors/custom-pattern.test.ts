import { describe, expect, it } from 'vitest';
import { customPatternDetector, customPatternProblem } from './custom-pattern.js';

describe('customPatternProblem', () => {
  it.each([
    [{ name: 'employee', regex: 'x' }, 'upper case'],
    [{ name: 'EMAIL', regex: 'x' }, 'built-in'],
    [{ name: 'EMP_1', regex: 'x' }, 'upper case'],
    [{ name: 'EMP', regex: 'x', flags: 'g' }, 'flags'],
    [{ name: 'EMP', regex: '(' }, 'not a valid regular expression'],
    [{ name: 'EVIL', regex: '(a+)+$' }, 'EVIL" can backtrack catastrophically'],
    [{ name: 'EVIL', regex: '(x|xy)*z' }, 'catastrophically'],
  ])('%j → %s', (p, want) => {
    expect(customPatternProblem(p)).toContain(want);
  });

  it('a sane pattern passes', () => {
    expect(customPatternProblem({ name: 'EMP_ID', regex: 'EMP-\\d{6}', flags: 'i' })).toBeNull();
  });
});

describe('customPatternDetector', () => {
  it('finds every match, in order, case-insensitively when asked', () => {
    const d = customPatternDetector({ name: 'EMP_ID', regex: 'emp-\\d{6}', flags: 'i' });
    const text = 'EMP-123456 and emp-654321, not emp-12';
    expect(d.detect(text).map((s) => text.slice(s.start, s.end))).toEqual(['EMP-123456', 'emp-654321']);
    expect(d.detect('nothing')).toEqual([]);
    expect(d.type).toBe('EMP_ID');
  });

  it('skips empty matches and keeps offsets in UTF-16 units', () => {
    const d = customPatternDetector({ name: 'TAG', regex: '#?\\p{L}*', flags: 'u' });
    const text = '😀 #zoë';
    expect(d.detect(text).map((s) => text.slice(s.start, s.end))).toEqual(['#zoë']);
  });

  it('refuses to build from a pattern the static check rejects', () => {
    expect(() => customPatternDetector({ name: 'EVIL', regex: '(a+)+$' })).toThrow(/catastrophically/);
  });

  it('a pattern that slips past the static check still cannot hang: it throws (fail-closed)', () => {
    // Polynomial (O(n³)) backtracking: no nested quantifier, yet slow on a long run with no match.
    const d = customPatternDetector({ name: 'SLOW', regex: '\\d*\\d*\\d*x' }, { timeoutMs: 20 });
    const text = '1'.repeat(20_000);
    expect(() => d.detect(text)).toThrow(/custom pattern "SLOW" ran over its 20 ms limit/);
    // The context is reusable afterwards.
    expect(d.detect('12x')).toEqual([{ start: 0, end: 3 }]);
  });
});
