// Test helper: what a detector finds in a text, as the matched substrings.
import type { Span } from '../engine/types.js';

export const matched = (find: (text: string) => Span[], text: string): string[] =>
  find(text).map((s) => text.slice(s.start, s.end));
