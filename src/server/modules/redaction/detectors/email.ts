// EMAIL: local@domain.tld. The lookbehind makes each run of address characters start one attempt
// only, so a long run without an `@` costs one linear scan, not one scan per position.
import type { Detector, Span } from '../engine/types.js';
import { anchoredSpans } from './spans.js';

const EMAIL =
  /(?<![A-Za-z0-9._%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

const EMAIL_AT = new RegExp(EMAIL.source, 'y');
// [A-Za-z0-9._%+'-]: the local part's characters.
const isLocalChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 46 ||
  c === 95 ||
  c === 37 ||
  c === 43 ||
  c === 39 ||
  c === 45;

/**
 * Where a match can start: the lookbehind allows only the first character of a run of local-part
 * characters, and the run must reach an '@' (the local part holds no '@'). So: one start per '@',
 * found by walking back from it — the text is not scanned position by position.
 */
function emailStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && isLocalChar(text.charCodeAt(s - 1))) s--;
    if (s < at) starts.push(s);
  }
  return starts;
}

export function findEmails(text: string): Span[] {
  if (!text.includes('@')) return [];
  return anchoredSpans(EMAIL_AT, text, emailStarts(text));
}

export const emailDetector = (priority: number): Detector => ({
  type: 'EMAIL',
  priority,
  detect: findEmails,
});
