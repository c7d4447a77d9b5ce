// PERSON: names from a configured list (and the names file), matched as whole words,
// case-insensitively, longest first, multi-word names across any run of whitespace. Matching walks
// the text's words once and looks each up in a map (no giant alternation regex), so the cost does
// not grow with the size of the list.
import type { Detector, Span } from '../engine/types.js';

const WORD = /[\p{L}\p{M}\p{N}_]+/gu;
// The scan's notion of a word: anything but whitespace and punctuation (ASCII, Latin-1, general
// and CJK punctuation), per UTF-16 code unit. A name's own words (WORD) never contain what it
// excludes. A lookup table walked by hand: a regex exec per word (a match array each) was most of
// this detector's cost.
const SEPARATOR = (() => {
  const t = new Uint8Array(0x10000);
  const mark = (from: number, to: number) => t.fill(1, from, to + 1);
  for (let c = 0; c < 0x10000; c++) if (/\s/.test(String.fromCharCode(c))) t[c] = 1;
  mark(0x21, 0x2f); // !-/
  mark(0x3a, 0x40); // :-@
  mark(0x5b, 0x5e); // [-^
  mark(0x60, 0x60); // `
  mark(0x7b, 0x7e); // {-~
  mark(0xa0, 0xbf);
  mark(0xd7, 0xd7);
  mark(0xf7, 0xf7);
  mark(0x2000, 0x206f);
  mark(0x3000, 0x303f);
  mark(0xff01, 0xff0f);
  return t;
})();

// Word lengths up to this are gated one by one; longer ones share the last slot.
const MAX_GATED_LENGTH = 64;

interface NameShape {
  /** Lower-cased words of the name. */
  words: string[];
  /** What stands between consecutive words: null = any whitespace run, else the exact text. */
  gaps: (string | null)[];
}

function shapeOf(name: string): NameShape | null {
  const words: string[] = [];
  const gaps: (string | null)[] = [];
  let last = -1;
  for (const m of name.matchAll(WORD)) {
    if (last >= 0) {
      const gap = name.slice(last, m.index);
      gaps.push(/^\s+$/.test(gap) ? null : gap.toLowerCase());
    } else if (m.index !== 0) return null;
    words.push(m[0].toLowerCase());
    last = m.index + m[0].length;
  }
  return words.length > 0 && last === name.length ? { words, gaps } : null;
}

/** Lines of a names file: one name per line; blank lines and `#` comments ignored. */
export function parseNamesFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function personFinder(names: readonly string[]): (text: string) => Span[] {
  const byFirst = new Map<string, NameShape[]>();
  // Cheap gates before slice + toLowerCase + the map lookup, in typed arrays (a Set lookup per word
  // was half this detector's time): the first word's length, then its first three characters
  // ASCII-lower-cased (asciiHead, 21 bits) in a bit set — a third of a text's words got past a
  // two-character gate to a Set lookup. A non-ASCII head skips the second gate.
  const firstLengths = new Uint8Array(MAX_GATED_LENGTH + 1);
  const firstHeads = new Uint32Array(1 << 16);
  for (const name of names) {
    const shape = shapeOf(name.trim());
    if (!shape) continue;
    const first = shape.words[0]!;
    const list = byFirst.get(first) ?? [];
    list.push(shape);
    byFirst.set(first, list);
    firstLengths[Math.min(first.length, MAX_GATED_LENGTH)] = 1;
    const head = asciiHead(first, 0, first.length);
    if (head >= 0) firstHeads[head >>> 5]! |= 1 << (head & 31);
  }
  // Longest first, so "Mary Ann Smith" wins over "Mary Ann" and "Mary".
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  if (byFirst.size === 0) return () => [];

  return (text) => {
    const out: Span[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      while (i < n && SEPARATOR[text.charCodeAt(i)] === 1) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && SEPARATOR[text.charCodeAt(i)] === 0) i++;
      // Most words cannot start a name: skip them before paying for toLowerCase and the lookup.
      if (firstLengths[Math.min(i - start, MAX_GATED_LENGTH)] === 0) continue;
      const head = asciiHead(text, start, i);
      if (head >= 0 && (firstHeads[head >>> 5]! & (1 << (head & 31))) === 0) continue;
      const candidates = byFirst.get(text.slice(start, i).toLowerCase());
      if (!candidates) continue;
      for (const shape of candidates) {
        const end = matchFrom(text, i, shape);
        if (end < 0) continue;
        out.push({ start, end });
        i = end;
        break;
      }
    }
    return out;
  };
}

/**
 * The first (up to) three code units of text[start, end), ASCII-lower-cased, as one number; -1 when
 * one of them is not ASCII (toLowerCase may then change the length or map to ASCII, e.g. the
 * Kelvin sign: such a word always takes the full lookup).
 */
function asciiHead(text: string, start: number, end: number): number {
  let key = 0;
  for (let k = 0; k < 3; k++) {
    let c = start + k < end ? text.charCodeAt(start + k) : 0;
    if (c >= 128) return -1;
    if (c >= 65 && c <= 90) c += 32;
    key = (key << 7) | c;
  }
  return key;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/uy;
const isWordCharAt = (text: string, i: number): boolean => {
  WORD_CHAR.lastIndex = i;
  return WORD_CHAR.test(text);
};
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2009;

/** Where the rest of `shape` (after its first word) ends when it follows `pos`, or -1. */
function matchFrom(text: string, pos: number, shape: NameShape): number {
  for (let k = 1; k < shape.words.length; k++) {
    const gap = shape.gaps[k - 1];
    if (gap === null || gap === undefined) {
      const from = pos;
      while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
      if (pos === from) return -1;
    } else {
      if (text.slice(pos, pos + gap.length).toLowerCase() !== gap) return -1;
      pos += gap.length;
    }
    const word = shape.words[k]!;
    if (text.slice(pos, pos + word.length).toLowerCase() !== word) return -1;
    pos += word.length;
  }
  return isWordCharAt(text, pos) ? -1 : pos;
}

export const personDetector = (names: readonly string[], priority: number): Detector => ({
  type: 'PERSON',
  priority,
  detect: personFinder(names),
});
