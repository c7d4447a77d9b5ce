// URL: a URL carrying credentials, `scheme://user:pass@host/…` (or `scheme://token@host`). The
// span is the whole URL, not only the userinfo: the host says whose credentials they are, and a
// userinfo-only span would lose the overlap rule to an EMAIL read across `pass@host.tld`.
import type { Detector, Span } from '../engine/types.js';
import { anchoredSpans } from './spans.js';

// scheme, "//", userinfo (no '/', '@', whitespace), '@', then the rest up to whitespace, a quote,
// a comma or a semicolon (legal in URLs but far more often a CSV/prose separator right after one).
// Trailing sentence punctuation is trimmed below.
const URL_WITH_USERINFO =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s/@"'<>`[\]{}|\\^]+@[^\s"'<>`\\^{}|,;]+/g;

const URL_AT = new RegExp(URL_WITH_USERINFO.source, 'y');
// [A-Za-z0-9+.-]: the scheme's characters.
const isSchemeChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;

/**
 * Where a match can start: the lookbehind allows only the first character of a run of scheme
 * characters, and that run must end at a "://". So: one start per "://", found by walking back.
 */
function urlStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 1)) {
    let s = at;
    while (s > 0 && isSchemeChar(text.charCodeAt(s - 1))) s--;
    if (s < at) starts.push(s);
  }
  return starts;
}

export function findCredentialUrls(text: string): Span[] {
  if (!text.includes('://')) return [];
  return anchoredSpans(URL_AT, text, urlStarts(text), (m) => {
    let end = m.index + m[0].length;
    while (end > m.index && /[.,;:!?)\]]/.test(text[end - 1]!)) {
      // Keep a closing bracket that closes one opened inside the URL.
      const ch = text[end - 1]!;
      const opener = ch === ')' ? '(' : ch === ']' ? '[' : '';
      const inside = text.slice(m.index, end - 1);
      if (opener && inside.split(opener).length > inside.split(ch).length) break;
      end--;
    }
    // After trimming, the userinfo's '@' must still be there with a host after it.
    const at = m[0].indexOf('@');
    return end - m.index > at + 1 ? { start: m.index, end } : null;
  });
}

export const urlDetector = (priority: number): Detector => ({
  type: 'URL',
  priority,
  detect: findCredentialUrls,
});
