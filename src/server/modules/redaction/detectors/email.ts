// EMAIL: local@domain.tld. The lookbehind makes each run of address characters start one attempt
// only, so a long run without an `@` costs one linear scan, not one scan per position.
import type { Detector, Span } from '../engine/types.js';
import { regexSpans } from './spans.js';

const EMAIL =
  /(?<![A-Za-z0-9._%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export function findEmails(text: string): Span[] {
  if (!text.includes('@')) return [];
  return regexSpans(EMAIL, text);
}

export const emailDetector = (priority: number): Detector => ({
  type: 'EMAIL',
  priority,
  detect: findEmails,
});
