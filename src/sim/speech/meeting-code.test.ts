import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BAND_TONES,
  decodeSymbols,
  encodeWord,
  letterHz,
  speakable,
  symbolOf,
  symbolTones,
  voiceHz,
} from './meeting-code.js';

const speakableChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,?!\'-:;…"%&$()/',
);

describe('the meeting audio code', () => {
  it('reads back every word it can speak, capitals and punctuation included', () => {
    fc.assert(
      fc.property(fc.array(speakableChar, { minLength: 1, maxLength: 20 }), (chars) => {
        const word = chars.join('');
        const symbols = encodeWord(word);
        const tones = symbols.map(symbolTones);
        expect(decodeSymbols(tones.map(([a, b]) => symbolOf(b, a) as number))).toBe(word);
      }),
    );
    expect(encodeWord("Don't")).toHaveLength(6); // capital flag + 5
  });

  it('refuses characters it cannot speak, naming them', () => {
    expect(() => encodeWord('café')).toThrow('meeting audio cannot speak "é" (in "café")');
    expect(() => encodeWord('a^b')).toThrow('"^"');
    expect(speakable('Okay, see you at 3!')).toBe(true);
    expect(speakable('naïve')).toBe(false);
  });

  it('does not read a lone capital flag, an unused tone pair or nothing as a word', () => {
    expect(decodeSymbols([0])).toBeNull();
    expect(decodeSymbols([0, 0, 1])).toBeNull();
    expect(decodeSymbols([])).toBeNull();
    expect(symbolOf(BAND_TONES - 2, BAND_TONES - 1)).toBeNull(); // the 91st pair: no symbol
  });

  it('keeps voices, their harmonics and letters in separate 50 Hz bins under 8 kHz Nyquist', () => {
    const voices = [0, 1, 2, 3, 4, 5].map(voiceHz);
    const harmonics = voices.map((f) => 2 * f);
    const letters = [0, 1].flatMap((b) => Array.from({ length: BAND_TONES }, (_, t) => letterHz(b, t)));
    const all = [...voices, ...harmonics, ...letters];
    expect(new Set(all).size).toBe(all.length);
    for (const f of all) expect(f % 50).toBe(0);
    expect(Math.max(...all)).toBeLessThan(4000);
  });
});
