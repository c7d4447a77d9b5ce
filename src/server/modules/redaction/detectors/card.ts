// CARD: 13–19 digits, optionally grouped by single spaces or dashes, Luhn-valid and starting with
// a major network's IIN (Visa 4, Mastercard 51–55/22–27, Amex 34/37, Diners 30/36/38, JCB 35,
// Discover/UnionPay/Maestro 6, Maestro 50/56–58). A Luhn-valid run outside those prefixes is left:
// one random digit run in ten passes Luhn, and 13-digit millisecond timestamps start with 1.
import type { Detector, Span } from '../engine/types.js';
import { luhnValid, regexSpans } from './spans.js';

const CARD = /(?<![\w.+-])\d(?:[ -]?\d){12,18}(?![\w]|[.-]\d)/g;
const IIN = /^(?:4|5[0-8]|2[2-7]|3[0-8]|6)/;

export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && IIN.test(digits) && luhnValid(digits);
}

export function findCards(text: string): Span[] {
  return regexSpans(CARD, text, (m) => {
    const raw = m[0];
    // One separator style per number: "4111 1111-1111 1111" is two things, not a card.
    if (raw.includes(' ') && raw.includes('-')) return null;
    return isCardNumber(raw.replace(/[ -]/g, '')) ? { start: m.index, end: m.index + raw.length } : null;
  });
}

export const cardDetector = (priority: number): Detector => ({ type: 'CARD', priority, detect: findCards });
