import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../../test/helpers/unit.js';
import { nameKey, validateSpeakerName } from './name.js';

describe('validateSpeakerName', () => {
  it.each([
    ['Alice', 'Alice'],
    ['  Bob  ', 'Bob'],
    ['José Álvarez', 'José Álvarez'],
    ['李雷', '李雷'],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['😀'.repeat(64), '😀'.repeat(64)],
    ['Speaker Two', 'Speaker Two'],
  ])('accepts %j as %j', (raw, want) => {
    expect(validateSpeakerName(raw)).toBe(want);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['x'.repeat(65), /65 characters.*at most 64/],
    ['Al\nice', /U\+000A/],
    ['Al\u0000ice', /U\+0000/],
    ['Al\u202Eice', /U\+202E/],
    ['Al\u200Bice', /U\+200B/],
    ['Al\u2028ice', /U\+2028/],
    ['Speaker_1', /unnamed speaker label/],
    ['speaker 12', /unnamed speaker label/],
    [42, /must be a string/],
    [null, /must be a string/],
  ])('refuses %j with a 400 that says why', (raw, why) => {
    const e = caughtAppError(() => validateSpeakerName(raw));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(why);
  });

  it('either returns a trimmed 1–64 character name free of control characters, or throws a 400', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 80 }), (raw) => {
        let name: string;
        try {
          name = validateSpeakerName(raw);
        } catch (e) {
          expect((e as { status?: number }).status).toBe(400);
          return;
        }
        expect(name).toBe(name.trim());
        expect([...name].length).toBeGreaterThanOrEqual(1);
        expect([...name].length).toBeLessThanOrEqual(64);
        expect(name).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      }),
    );
  });
});

describe('nameKey', () => {
  it('folds case and Unicode form so look-alike duplicates collide', () => {
    expect(nameKey('Alice')).toBe(nameKey('ALICE'));
    expect(nameKey('Jos\u00e9')).toBe(nameKey('Jose\u0301'));
    expect(nameKey('Alice')).not.toBe(nameKey('Alicia'));
  });
});
