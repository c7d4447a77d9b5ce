import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinTokens } from './join-tokens.js';

describe('joinTokens', () => {
  it.each([
    { tokens: ['Hello', 'world'], text: 'Hello world' },
    // Whisper-style leading spaces and Parakeet-style bare tokens give the same text.
    { tokens: [' Hello', ',', ' world', '.'], text: 'Hello, world.' },
    { tokens: ['Hello', ',', 'world', '.'], text: 'Hello, world.' },
    { tokens: [' Hello', ' ,', ' world', ' .'], text: 'Hello, world.' },
    { tokens: ['Wait', '…', 'what', '?', '!'], text: 'Wait… what?!' },
    { tokens: ['Note', ':', 'a', ';', 'b'], text: 'Note: a; b' },
    { tokens: ['  spaced  ', '\tout\n'], text: 'spaced out' },
    { tokens: ['one  two', 'three ,'], text: 'one two three,' },
    { tokens: ['', '   ', 'x', ''], text: 'x' },
    { tokens: [], text: '' },
    { tokens: [',', 'leading'], text: ', leading' },
    // Only the listed punctuation attaches; quotes, dashes and brackets keep their space.
    { tokens: ['say', '"hi"', '-', '(now)'], text: 'say "hi" - (now)' },
    { tokens: ['3.5', 'kg'], text: '3.5 kg' },
  ])('$tokens → "$text"', ({ tokens, text }) => {
    expect(joinTokens(tokens)).toBe(text);
  });

  const token = fc.oneof(
    fc.constantFrom('.', ',', ':', ';', '!', '?', '…', ' ', '\t'),
    fc.string({ minLength: 0, maxLength: 6 }),
    fc.stringMatching(/^ ?[a-zA-Z]{1,6} ?$/),
  );

  it('keeps every non-space character in order and normalises the spacing', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30, size: 'max' }), (tokens) => {
        const out = joinTokens(tokens);
        expect(out.replace(/\s/gu, '')).toBe(tokens.join('').replace(/\s/gu, ''));
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s\s|[^\S ]/u);
        expect(out).not.toMatch(/\s[.,:;!?…]/u);
      }),
    );
  });

  it('gives the same text whether or not the tokens carry leading spaces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,5}$|^[.,:;!?…]$/), { maxLength: 20, size: 'max' }),
        (tokens) => {
          expect(joinTokens(tokens.map((t) => ` ${t}`))).toBe(joinTokens(tokens));
        },
      ),
    );
  });
});
