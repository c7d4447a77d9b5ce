import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANDIDATE, forEachCandidate, phoneFinder } from './phone.js';
import { matched } from './test-util.js';

describe('phoneFinder', () => {
  const us = phoneFinder({ defaultRegion: 'US' });
  const none = phoneFinder();

  it.each([
    ['call +44 20 7946 0958 now', ['+44 20 7946 0958']],
    ['(415) 555-2671', ['(415) 555-2671']],
    ['415.555.2671', ['415.555.2671']],
    ['+1-415-555-2671,', ['+1-415-555-2671']],
    ['+49 30 901820', ['+49 30 901820']],
    ['+33 1 42 68 53 00.', ['+33 1 42 68 53 00']],
    ['tel:+81312345678', ['+81312345678']],
    ['+34 (0)943 55 27 92!', ['+34 (0)943 55 27 92']],
    ['2026-03-23 (415) 555-2671 logged', ['(415) 555-2671']],
    ['+61 2 9374 4000 and (212) 555-0199', ['+61 2 9374 4000']],
  ])('finds %j', (text, want) => {
    expect(matched(us, text)).toEqual(expect.arrayContaining(want));
  });

  it('national numbers need a default region', () => {
    expect(matched(us, 'ring 650 253 0000')).toEqual(['650 253 0000']);
    expect(none('ring 650 253 0000')).toEqual([]);
    expect(matched(none, 'ring +1 650 253 0000')).toEqual(['+1 650 253 0000']);
  });

  it.each([
    ['short digit run', 'order 12345'],
    ['date', 'on 2024-01-05 and 05/01/2024'],
    ['date and time', '2024-01-05 12:30:45'],
    ['version', 'v10.2.44 and 1.2.3'],
    ['card number', '4111 1111 1111 1111'],
    ['IBAN', 'DE89 3704 0044 0532 0130 00'],
    ['IBAN digit groups after letters', 'PS56 ASEQ 7029 7003 0213 5709 1358 1'],
    ['IP', '198.51.100.200'],
    ['price', '$1,234,567.89'],
    ['invalid area code', '(099) 555-1234'],
    ['a year range', '1999-2024'],
  ])('leaves %s', (_why, text) => {
    expect(us(text)).toEqual([]);
  });

  it('forEachCandidate reports exactly the matches of the candidate regex’s global scan', () => {
    // Texts of digits and everything the regex and its lookarounds look at.
    const ch = fc.constantFrom(...'0123456789 \t\u00a0().-/+:x_ea,'.split(''), 'ext.', 'ext');
    const scan = (text: string) => [...text.matchAll(CANDIDATE)].map((m) => [m.index, m.index + m[0].length]);
    const viaStarts = (text: string) => {
      const out: number[][] = [];
      forEachCandidate(text, (s, e) => out.push([s, e]));
      return out;
    };
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(viaStarts(text)).toEqual(scan(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of ['+1 (415) 555-2671 x 12 and 2024-01-05 (0)12 34', '(+44) 20.7946.0958, 1.2.3.4'])
      expect(viaStarts(text)).toEqual(scan(text));
  });
});
