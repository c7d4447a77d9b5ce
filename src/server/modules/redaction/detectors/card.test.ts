import { describe, expect, it } from 'vitest';
import { findCards, isCardNumber } from './card.js';
import { luhnValid } from './spans.js';
import { matched } from './test-util.js';

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['', false],
    ['41a1', false],
  ])('%s → %s', (digits, ok) => {
    expect(luhnValid(digits)).toBe(ok);
  });
});

describe('findCards', () => {
  it.each([
    ['card 4111 1111 1111 1111 exp', ['4111 1111 1111 1111']],
    ['4111-1111-1111-1111', ['4111-1111-1111-1111']],
    ['visa:4012888888881881.', ['4012888888881881']],
    ['amex 3782 822463 10005', ['3782 822463 10005']],
    ['mc 5555555555554444 and 2223003122003222', ['5555555555554444', '2223003122003222']],
    ['diners 3056-930902-5904', ['3056-930902-5904']],
    ['discover 6011111111111117', ['6011111111111117']],
  ])('finds %j', (text, want) => {
    expect(matched(findCards, text)).toEqual(want);
  });

  it.each([
    ['not Luhn-valid', '4111 1111 1111 1112'],
    ['Luhn-valid but no network prefix (ms timestamp)', '1700000000007'],
    ['too short', '4111 1111 1111'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['part of a longer number', '41111111111111110000000'],
    ['inside a decimal', '0.4111111111111111'],
    ['glued to letters', 'id4111111111111111'],
    ['an IBAN-like run', 'DE89370400440532013000'],
  ])('leaves %s', (_why, text) => {
    expect(findCards(text)).toEqual([]);
  });

  it('isCardNumber wants 13–19 digits', () => {
    expect(isCardNumber('4222222222222')).toBe(true);
    expect(isCardNumber('42222222222')).toBe(false);
  });
});
