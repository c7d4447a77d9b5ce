// PHONE: libphonenumber-js does the judging (which digit runs are numbers of which country).
// It is too slow to run over a whole document (~6 ms per 4 KB of number-dense text), so a cheap
// regex first picks candidate runs — an optional `+`, digits with the separators numbers are
// written with, 7+ digits in all — and the library reads only those. International numbers
// (`+…`/`00…`) are accepted when *possible* for their country, national ones only when *valid*
// for the default region: a bare run of digits needs a real area code to count. National numbers
// need 8+ digits (with the trunk prefix), international ones 7+.
// Not phones: dates (2024-01-05), times, versions (1.2.3), IPs, card numbers (Luhn + IIN), IBANs
// (the letters keep them out of the candidate), runs next to letters or other digit runs' dots.
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Detector, Span } from '../engine/types.js';
import { isCardNumber } from './card.js';

// A run that starts with +, ( or a digit, made of digits and single separators, ends in a digit.
// The separators here are the ones libphonenumber accepts between digit groups.
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
export const CANDIDATE =
  /(?<![\w./+-])(?:\+|\(\+?)?\d(?:[ \t\u00a0().\-/]{0,2}\d)+(?:[ \t]*(?:x|ext\.?)[ \t]*\d{1,6})?(?![\w]|[.:]\d)/g;
const CANDIDATE_AT = new RegExp(CANDIDATE.source, 'y');
// Where CANDIDATE can start: its first character after its lookbehind.
const CANDIDATE_START = /(?<![\w./+-])[+(\d]/g;

/**
 * Calls `each(start, end)` for every match of CANDIDATE, in order, as its global scan finds them —
 * without its match arrays and substrings (a 4 KB text has ~65 candidates, mostly short counts,
 * prices and years, and those allocations were most of this detector's garbage): `test` on a
 * start finder, then on the sticky candidate regex there, and the scan resumes after a match.
 */
export function forEachCandidate(text: string, each: (start: number, end: number) => void): void {
  CANDIDATE_START.lastIndex = 0;
  while (CANDIDATE_START.test(text)) {
    const start = CANDIDATE_START.lastIndex - 1;
    CANDIDATE_AT.lastIndex = start;
    if (!CANDIDATE_AT.test(text)) continue;
    const end = CANDIDATE_AT.lastIndex;
    each(start, end);
    CANDIDATE_START.lastIndex = end;
  }
}
const PREFIX_ONLY = /^\+\d{1,3}[ \t\u00a0.-]*$/;
// What the library would reject anyway, cheaply: dates, IPv4 addresses, decimals ("903.1946").
const NOT_A_PHONE =
  /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,3}(?:\.\d{1,3}){3}|\d+\.\d+)$/;
const LEADING_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?[ \t]*/;
const MEMO_SIZE = 2048;
const TRUNK_AFTER_CODE = /^(\+\d{1,3})[ .-]?\(0\)/;
const IBAN_HEAD = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: [A-Z0-9]{4})* $/;

export interface PhoneOptions {
  /** ISO 3166 region for numbers written without a country code (e.g. 'US', 'DE'). */
  defaultRegion?: string;
}

function digitCount(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) if (isDigit(s.charCodeAt(i))) n++;
  return n;
}

export function phoneFinder(opts: PhoneOptions = {}): (text: string) => Span[] {
  const region = opts.defaultRegion?.toUpperCase() as CountryCode | undefined;
  // Same candidate, same answer: signatures repeat numbers, logs repeat dates. Bounded.
  const memo = new Map<string, readonly (readonly [number, number])[]>();
  const judge = (raw: string, international: boolean, digits: number) => {
    let found = memo.get(raw);
    if (!found) {
      found = readNumbers(raw, international, digits);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(raw, found);
    }
    return found;
  };
  const isWholeNumber = (raw: string, international: boolean): boolean => {
    const n = parsePhoneNumberFromString(raw, {
      ...(region ? { defaultCountry: region } : {}),
      extract: false,
    });
    return n !== undefined && (international ? n.isPossible() : n.isValid());
  };
  const readNumbers = (
    raw: string,
    international: boolean,
    digits: number,
  ): (readonly [number, number])[] => {
    // Fast path (about 4× cheaper than the text matcher): the candidate is one whole number.
    // "+34 (0)943 55 27 92": a trunk "(0)" written after the country code, even where the country
    // has none, is still that number. Either reading gives the same span, so the one that usually
    // holds is asked first: read with its "(0)" such a number is rarely possible, and asking that
    // first cost a second library call for every one of them.
    const noTrunk = raw.replace(TRUNK_AFTER_CODE, '$1 ');
    if (noTrunk !== raw && isWholeNumber(noTrunk, true)) return [[0, raw.length]];
    if (isWholeNumber(raw, international)) return [[0, raw.length]];
    // Only a long run can hold a number plus something else (two numbers, a trailing figure).
    if (digits < 14) return [];
    return findPhoneNumbersInText(raw, {
      ...(region ? { defaultCountry: region } : {}),
      extended: international,
    }).map((f) => {
      // "+34 (0)943 55 27 92": the library reads the number from "(0)" on; the country code
      // before it belongs to the same number.
      const lead = f.startsAt > 0 && PREFIX_ONLY.test(raw.slice(0, f.startsAt)) ? 0 : f.startsAt;
      return [lead, f.endsAt] as const;
    });
  };
  return (text) => {
    const out: Span[] = [];
    forEachCandidate(text, (start, end) => {
      // Cheapest test first: most candidates (prices, years, short counts) have too few digits
      // even before a leading date is dropped; those are never sliced.
      if (digitCount(text, start, end) < 7) return;
      let raw = text.slice(start, end);
      let at = start;
      // A log line's timestamp runs into what follows ("2026-03-23 (415) 555-2671"): drop it.
      const date = raw.charCodeAt(4) === 45 ? LEADING_DATE.exec(raw) : null;
      if (date) {
        raw = raw.slice(date[0].length);
        at += date[0].length;
      }
      const international = raw.startsWith('+') || raw.startsWith('(+');
      const digits = digitCount(raw);
      if (digits < (international ? 7 : 8) || digits > 20) return;
      if (NOT_A_PHONE.test(raw)) return;
      // The digit groups of a spaced IBAN ("PS56 ASEQ 7029 7003 …") are the IBAN detector's.
      if (IBAN_HEAD.test(text.slice(Math.max(0, at - 40), at))) return;
      // A card number is not a phone number; "+4…" with a country code is never a card.
      if (!international && isCardNumber(raw.replace(/\D/g, ''))) return;
      for (const [s, e] of judge(raw, international, digits)) out.push({ start: at + s, end: at + e });
    });
    return out;
  };
}

export const phoneDetector = (opts: PhoneOptions, priority: number): Detector => ({
  type: 'PHONE',
  priority,
  detect: phoneFinder(opts),
});
