// IBAN: country code, two check digits, the account part; compact ("DE89370400440532013000") or
// in groups of four ("DE89 3704 0044 0532 0130 00"). Kept only when the ISO 13616 mod-97 check
// holds at the country's registered length (the length decides where a spaced IBAN ends).
import type { Detector, Span } from '../engine/types.js';
import { regexSpans } from './spans.js';

const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;

// Registered lengths (SWIFT IBAN registry); a country not listed may be 15–34 long.
const LENGTHS = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 ' +
    'EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 ' +
    'IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 ' +
    'NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 ' +
    'SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))] as const),
);

/** ISO 13616 check: move the first four characters to the end, letters → 10..35, mod 97 == 1. */
export function ibanChecksumValid(iban: string): boolean {
  return prefixChecksumValid(iban, iban.length);
}

/** `ibanChecksumValid(s.slice(0, len))` without building the slice or the rotated string. */
function prefixChecksumValid(s: string, len: number): boolean {
  if (len < 15 || len > 34) return false;
  let rem = 0;
  for (let k = 4; k < len + 4; k++) {
    const c = s.charCodeAt(k < len ? k : k - len);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

/** The end offset (in `raw`) of its first `n` non-space characters, or -1 when it has fewer. */
function endOfChars(raw: string, n: number): number {
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== ' ' && ++seen === n) return i + 1;
  }
  return -1;
}

export function findIbans(text: string): Span[] {
  return regexSpans(IBAN, text, (m) => {
    const raw = m[0];
    const spaced = raw.includes(' ');
    const compact = spaced ? raw.replace(/ /g, '') : raw;
    const known = LENGTHS.get(raw.slice(0, 2));
    const fits = (len: number): Span | null => {
      if (len > compact.length || (!spaced && len !== compact.length)) return null;
      if (!prefixChecksumValid(compact, len)) return null;
      const end = endOfChars(raw, len);
      // Never end inside a group: the next character must be a space or the match's end.
      return end === raw.length || raw[end] === ' ' ? { start: m.index, end: m.index + end } : null;
    };
    // A spaced IBAN may have swallowed a following group ("… 3200 ABCD"): try the registered
    // length first, then every length from the longest down (a registry change, an unlisted country).
    if (known !== undefined) {
      const span = fits(known);
      if (span) return span;
    }
    for (let len = compact.length; len >= 15; len--) {
      if (len === known) continue;
      const span = fits(len);
      if (span) return span;
    }
    return null;
  });
}

export const ibanDetector = (priority: number): Detector => ({ type: 'IBAN', priority, detect: findIbans });
