// URL: a URL carrying credentials, `scheme://user:pass@host/…` (or `scheme://token@host`). The
// span is the whole URL, not only the userinfo: the host says whose credentials they are, and a
// userinfo-only span would lose the overlap rule to an EMAIL read across `pass@host.tld`.
import type { Detector, Span } from '../engine/types.js';
import { regexSpans } from './spans.js';

// scheme, "//", userinfo (no '/', '@', whitespace), '@', then the rest up to whitespace, a quote,
// a comma or a semicolon (legal in URLs but far more often a CSV/prose separator right after one).
// Trailing sentence punctuation is trimmed below.
const URL_WITH_USERINFO =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s/@"'<>`[\]{}|\\^]+@[^\s"'<>`\\^{}|,;]+/g;

export function findCredentialUrls(text: string): Span[] {
  if (!text.includes('://')) return [];
  return regexSpans(URL_WITH_USERINFO, text, (m) => {
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
