import { describe, expect, it } from 'vitest';
import { findIbans, ibanChecksumValid } from './iban.js';
import { matched } from './test-util.js';

describe('ibanChecksumValid', () => {
  it.each([
    ['DE89370400440532013000', true],
    ['DE88370400440532013000', false],
    ['GB82WEST12345698765432', true],
    ['NO9386011117947', true],
    ['GB82WEST1234569876543', false],
  ])('%s → %s', (iban, ok) => {
    expect(ibanChecksumValid(iban)).toBe(ok);
  });
});

describe('findIbans', () => {
  it.each([
    ['pay to DE89370400440532013000.', ['DE89370400440532013000']],
    ['pay to DE89 3704 0044 0532 0130 00, thanks', ['DE89 3704 0044 0532 0130 00']],
    ['GB82 WEST 1234 5698 7654 32 ABCD next', ['GB82 WEST 1234 5698 7654 32']],
    ['NL91 ABNA 0417 1643 00', ['NL91 ABNA 0417 1643 00']],
    ['FR14 2004 1010 0505 0001 3M02 606', ['FR14 2004 1010 0505 0001 3M02 606']],
    ['"iban":"MT84MALT011000012345MTLCAST001S"', ['MT84MALT011000012345MTLCAST001S']],
    // A country not in the registry: every length from the longest down is tried.
    ['ZZ0112345678901234567', ['ZZ0112345678901234567']],
    ['ZZ01 1234 5678 9012 3456 7 and', ['ZZ01 1234 5678 9012 3456 7']],
    ['ZZ01 1234 5678 9012 3456 7 999', ['ZZ01 1234 5678 9012 3456 7']],
  ])('finds %j', (text, want) => {
    expect(matched(findIbans, text)).toEqual(want);
  });

  it.each([
    ['bad checksum', 'DE88 3704 0044 0532 0130 00'],
    ['too short', 'DE89 3704 0044'],
    ['glued to letters', 'xDE89370400440532013000'],
    ['lower case shape in prose', 'the ab12 cdef ghij rule'],
    ['a product code', 'SKU AB12CDEF34567890'],
    ['the valid prefix ends inside a group', 'ZZ01 1234 5678 9012 3456 7999 9'],
  ])('leaves %s', (_why, text) => {
    expect(findIbans(text)).toEqual([]);
  });
});
