// PERSON: names from a configured list (and the names file), matched as whole words,
// case-insensitively, longest first, multi-word names across any run of whitespace. Matching walks
// the text's words once and looks each up in a map (no giant alternation regex), so the cost does
// not grow with the size of the list.
import type { Detector, Span } from '../engine/types.js';

const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

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
  for (const name of names) {
    const shape = shapeOf(name.trim());
    if (!shape) continue;
    const list = byFirst.get(shape.words[0]!) ?? [];
    list.push(shape);
    byFirst.set(shape.words[0]!, list);
  }
  // Longest first, so "Mary Ann Smith" wins over "Mary Ann" and "Mary".
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  if (byFirst.size === 0) return () => [];

  return (text) => {
    const words: { start: number; end: number; lower: string }[] = [];
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
      words.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase() });
    }
    const out: Span[] = [];
    for (let i = 0; i < words.length; i++) {
      const candidates = byFirst.get(words[i]!.lower);
      if (!candidates) continue;
      const hit = candidates.find((shape) => matchesAt(text, words, i, shape));
      if (!hit) continue;
      const last = words[i + hit.words.length - 1]!;
      out.push({ start: words[i]!.start, end: last.end });
      i += hit.words.length - 1;
    }
    return out;
  };
}

function matchesAt(
  text: string,
  words: readonly { start: number; end: number; lower: string }[],
  i: number,
  shape: NameShape,
): boolean {
  for (let k = 1; k < shape.words.length; k++) {
    const w = words[i + k];
    if (!w || w.lower !== shape.words[k]) return false;
    const gap = text.slice(words[i + k - 1]!.end, w.start);
    const want = shape.gaps[k - 1];
    if (want === null ? !/^\s+$/.test(gap) : gap.toLowerCase() !== want) return false;
  }
  return true;
}

export const personDetector = (names: readonly string[], priority: number): Detector => ({
  type: 'PERSON',
  priority,
  detect: personFinder(names),
});
