import { describe, expect, it } from 'vitest';
import { parseSpeakerBounds, speakerNameProblem } from './labForm.js';

describe('speaker bounds', () => {
  it('takes empty as any, and whole numbers in range', () => {
    expect(parseSpeakerBounds('', '')).toEqual({ ok: true, min: null, max: null });
    expect(parseSpeakerBounds(' 2 ', '4')).toEqual({ ok: true, min: 2, max: 4 });
    expect(parseSpeakerBounds('3', '3')).toEqual({ ok: true, min: 3, max: 3 });
  });
  it.each([
    ['4', '2', /Min speakers \(4\) is more than max speakers \(2\)/],
    ['0', '', /between 1 and 32/],
    ['', '33', /between 1 and 32/],
    ['2.5', '', /whole number/],
    ['', '-1', /whole number/],
  ])('refuses min %j max %j', (min, max, message) => {
    const r = parseSpeakerBounds(min, max);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('speaker names', () => {
  it('accepts ordinary names, refuses empty, long and control characters', () => {
    expect(speakerNameProblem('Alice')).toBeNull();
    expect(speakerNameProblem('  Zoë Ångström  ')).toBeNull();
    expect(speakerNameProblem('   ')).toMatch(/needed/);
    expect(speakerNameProblem('x'.repeat(65))).toMatch(/64/);
    expect(speakerNameProblem('a\u0007b')).toMatch(/control/);
    expect(speakerNameProblem('speaker 2')).toMatch(/unnamed speaker label/);
    expect(speakerNameProblem('Speaker_2b')).toBeNull();
  });
});
