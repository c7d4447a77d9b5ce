// Shared helpers for the detectors: turning a global regex into spans, with an optional check
// that a match really is the thing (Luhn, mod-97, …) and may narrow it to a sub-range.
import type { Span } from '../engine/types.js';

/**
 * Every match of a global regex as a span. `accept` may reject a match (null) or return the
 * span to keep (e.g. only the capture group). Zero-length matches are skipped.
 */
export function regexSpans(re: RegExp, text: string, accept?: (m: RegExpExecArray) => Span | null): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const span = accept ? accept(m) : { start: m.index, end: m.index + m[0].length };
    if (span && span.end > span.start) out.push(span);
  }
  return out;
}

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * `regexSpans` for a pattern that can only match at a few known places: `sticky` (flag y) is tried
 * at each candidate start (ascending; those inside an earlier match are skipped, as a global
 * regex's scan would). Same spans as the global scan when every possible match starts at one of
 * the candidates — the caller's prefilter promises that, and skips the scan of every position.
 */
export function anchoredSpans(
  sticky: RegExp,
  text: string,
  starts: readonly number[],
  accept?: (m: RegExpExecArray) => Span | null,
): Span[] {
  const out: Span[] = [];
  let done = 0;
  // Arrays only, walked by index: fed generators too, the loop went through the iterator protocol
  // (a result object per start) for every caller.
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    if (s < done) continue;
    sticky.lastIndex = s;
    const m = sticky.exec(text);
    if (m === null || m[0].length === 0) continue;
    done = s + m[0].length;
    const span = accept ? accept(m) : { start: m.index, end: done };
    if (span && span.end > span.start) out.push(span);
  }
  return out;
}
