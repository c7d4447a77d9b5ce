import { describe, expect, it } from 'vitest';
import { LOOPBACK_PASS, wordOverlap, words } from './overlap.js';

describe('words', () => {
  it('lower-cases and drops punctuation', () => {
    expect(words("Hello, World! It's 3 o'clock.")).toEqual(['hello', 'world', "it's", '3', "o'clock"]);
    expect(words('  ')).toEqual([]);
    expect(words('Café naïve')).toEqual(['cafe', 'naive']);
  });
});

describe('wordOverlap', () => {
  const phrase = 'The quick brown fox jumps over the lazy dog';
  it.each([
    [phrase, 1],
    ['the quick brown fox jumps over the lazy dog.', 1],
    ['quick brown fox jumps over lazy dog', 7 / 9],
    ['the quick brown fox', 4 / 9],
    ['', 0],
    ['the the the the the the the the the', 2 / 9],
    ['dog lazy the over jumps fox brown quick the', 1],
  ])('%s → %f', (heard, share) => {
    expect(wordOverlap(phrase, heard)).toBeCloseTo(share, 6);
  });

  it('is 0 for an empty phrase', () => {
    expect(wordOverlap('', 'anything')).toBe(0);
  });

  it('passes at 0.6', () => {
    expect(LOOPBACK_PASS).toBe(0.6);
    expect(wordOverlap('one two three four five', 'one two three') >= LOOPBACK_PASS).toBe(true);
    expect(wordOverlap('one two three four five', 'one two') >= LOOPBACK_PASS).toBe(false);
  });
});
