// Rehydrate: put the task's values back where its placeholders stand, in any spelling the tolerant
// matcher accepts (tolerant-match.ts). Unknown placeholders stay exactly as they are.
import { identBefore, isAsciiLetter, Matcher, MORE, NO } from './tolerant-match.js';
import type { PlaceholderTable } from './types.js';

export interface RehydrateOptions {
  /**
   * How a value is written where its placeholder stood. Tool-call arguments are JSON text, so
   * their values go in JSON-escaped (`jsonStringEscape`); plain text takes them as they are.
   */
  encode?: (value: string) => string;
}

/** A value as it must appear inside a JSON string literal. */
export const jsonStringEscape = (value: string): string => JSON.stringify(value).slice(1, -1);

export interface ScanResult {
  out: string;
  /** Where scanning stopped: text.length, or the first position still undecided (not final). */
  stop: number;
}

/**
 * Rehydrates `text` from `from` on (what lies before is context only). With `final` false it
 * stops at the first position where a placeholder could still begin once more text arrives.
 */
export function scanRehydrate(
  text: string,
  from: number,
  final: boolean,
  matcher: Matcher,
  encode?: (value: string) => string,
): ScanResult {
  let out = '';
  let last = from;
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    let r: number;
    if (c === 91) r = matcher.bracket(text, i, final);
    else if ((c === 95 || isAsciiLetter(c)) && !identBefore(text, i)) r = matcher.bare(text, i, final);
    else {
      i++;
      continue;
    }
    if (r === MORE) return { out: out + text.slice(last, i), stop: i };
    if (r === NO) {
      i = matcher.resume;
      continue;
    }
    const value = encode ? encode(matcher.value) : matcher.value;
    out += text.slice(last, i + matcher.lead) + value + text.slice(r - matcher.trail, r);
    last = i = r;
  }
  return { out: out + text.slice(last), stop: n };
}

export function rehydrateText(text: string, table: PlaceholderTable, opts: RehydrateOptions = {}): string {
  return scanRehydrate(text, 0, true, new Matcher(table, null), opts.encode).out;
}
