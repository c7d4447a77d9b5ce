import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedWord } from '../../../../common/audio-api.js';
import { AudioDataError } from './errors.js';
import { assignTurns, buildBlocks, mergeWordsIntoBlocks, type Turn } from './merge.js';

const w = (word: string, start: number, end: number): TimedWord => ({ word, start, end });
const t = (speaker: string, start_s: number, end_s: number, confidence: number | null = null): Turn => ({
  speaker,
  start_s,
  end_s,
  confidence,
});

describe('mergeWordsIntoBlocks', () => {
  it('gives each word to the turn that overlaps it most and breaks blocks on a speaker change', () => {
    const turns = [t('Speaker_0', 0, 2.05, 0.9), t('Speaker_1', 2.05, 4, 0.7)];
    const words = [
      w('Hello', 0.1, 0.5),
      w(',', 0.5, 0.55),
      w('there', 0.6, 1.0),
      w('Hi', 1.9, 2.4),
      w('!', 2.4, 2.45),
    ];
    expect(mergeWordsIntoBlocks(words, turns)).toEqual([
      { start_ms: 100, end_ms: 1000, speaker: 'Speaker_0', text: 'Hello, there', confidence: 0.9 },
      // "Hi" overlaps Speaker_0 by 0.15 s and Speaker_1 by 0.35 s.
      { start_ms: 1900, end_ms: 2450, speaker: 'Speaker_1', text: 'Hi!', confidence: 0.7 },
    ]);
  });

  it('starts a new block after a silence longer than 1.5 s, not at exactly 1.5 s', () => {
    const turns = [t('A', 0, 20)];
    const words = [w('one', 0, 1), w('two', 2.5, 3), w('three', 4.6, 5)];
    expect(mergeWordsIntoBlocks(words, turns).map((b) => b.text)).toEqual(['one two', 'three']);
    expect(mergeWordsIntoBlocks(words, turns, { maxSilenceS: 0.5 }).map((b) => b.text)).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('gives a word outside every turn to the nearest turn', () => {
    const turns = [t('A', 0, 1), t('B', 5, 6)];
    const words = [w('early', 1.5, 1.8), w('late', 4.5, 5), w('after', 6.2, 6.4)];
    expect(mergeWordsIntoBlocks(words, turns).map((b) => [b.speaker, b.text])).toEqual([
      ['A', 'early'],
      ['B', 'late after'],
    ]);
  });

  it('places a zero-length word by the turn that contains it', () => {
    const turns = [t('A', 0, 1), t('B', 1, 2)];
    expect(assignTurns([w('x', 1.5, 1.5), w('y', 0.2, 0.2), w('z', 1, 1)], turns)).toEqual([1, 0, 0]);
  });

  it('averages the confidence of the turns a block used, ignoring unknown ones', () => {
    const turns = [t('A', 0, 1, 0.8), t('A', 1, 2, null), t('A', 2, 3, 0.6)];
    const [block] = mergeWordsIntoBlocks([w('a', 0.2, 0.4), w('b', 1.2, 1.4), w('c', 2.2, 2.4)], turns);
    expect(block?.confidence).toBeCloseTo(0.7, 12);
    expect(mergeWordsIntoBlocks([w('a', 0, 1)], [t('A', 0, 1, null)])[0]?.confidence).toBeNull();
    expect(mergeWordsIntoBlocks([w('a', 0, 1)], [t('A', 0, 1, NaN)])[0]?.confidence).toBeNull();
  });

  it('handles no words, no turns and tokens that are only whitespace', () => {
    expect(mergeWordsIntoBlocks([], [t('A', 0, 1)])).toEqual([]);
    expect(mergeWordsIntoBlocks([w('hi', 0, 1), w(' ', 1, 1.1), w('there', 1.1, 1.5)], [])).toEqual([
      { start_ms: 0, end_ms: 1500, speaker: 'Speaker_0', text: 'hi there', confidence: null },
    ]);
    expect(mergeWordsIntoBlocks([w('hi', 0, 1)], [], { unknownSpeaker: 'Speaker_9' })[0]?.speaker).toBe(
      'Speaker_9',
    );
  });

  it('sorts words that arrive out of order', () => {
    const blocks = mergeWordsIntoBlocks([w('b', 1, 1.2), w('a', 0, 0.2)], [t('A', 0, 2)]);
    expect(blocks.map((b) => b.text)).toEqual(['a b']);
  });

  it.each([
    ['a NaN word time', [w('x', NaN, 1)], [t('A', 0, 1)], /word 0 \("x"\) has an invalid time/],
    ['a negative word time', [w('x', -1, 1)], [t('A', 0, 1)], /invalid time/],
    ['an infinite turn end', [w('x', 0, 1)], [t('A', 0, Infinity)], /turn 0 \(A\) has an invalid time/],
    ['a word ending before it starts', [w('x', 2, 1)], [], /ends \(1 s\) before it starts \(2 s\)/],
  ])('rejects %s', (_, words, turns, message) => {
    expect(() => mergeWordsIntoBlocks(words, turns)).toThrow(AudioDataError);
    expect(() => mergeWordsIntoBlocks(words, turns)).toThrow(message);
  });
});

// ─── properties ────────────────────────────────────────────────────────────────────────────────

const time = fc.integer({ min: 0, max: 600 }).map((x) => x / 10);
const interval = fc
  .tuple(
    time,
    fc.integer({ min: 0, max: 40 }).map((x) => x / 10),
  )
  .map(([s, d]) => [s, s + d] as const);
const turnArb = fc
  .tuple(interval, fc.constantFrom('A', 'B', 'C'), fc.option(fc.double({ min: 0, max: 1, noNaN: true })))
  .map(([[s, e], speaker, confidence]) => t(speaker, s, e, confidence));
const wordsArb = fc
  .array(fc.tuple(interval, fc.constantFrom('', ',', '.', 'x')), { maxLength: 60, size: 'max' })
  // Unique word texts (w0, w1, …) so a lost or repeated word shows; some are punctuation.
  .map((xs) => xs.map(([[s, e], kind], i) => w(kind === 'x' || kind === '' ? `w${i}` : kind, s, e)));

/** The reference: every turn scored against every word. */
function bruteForce(words: TimedWord[], turns: Turn[]): number[] {
  const order = turns
    .map((_, i) => i)
    .sort((i, j) => turns[i]!.start_s - turns[j]!.start_s || turns[i]!.end_s - turns[j]!.end_s || i - j);
  return words.map((word) => {
    let best = -1;
    let key: [number, number] = [-1, Infinity];
    for (const i of order) {
      const { start_s: s, end_s: e } = turns[i]!;
      const overlap = Math.max(0, Math.min(word.end, e) - Math.max(word.start, s));
      const distance = Math.max(0, s - word.end, word.start - e);
      if (overlap > key[0] || (overlap === key[0] && distance < key[1])) {
        best = i;
        key = [overlap, distance];
      }
    }
    return best;
  });
}

describe('mergeWordsIntoBlocks properties', () => {
  it('assigns the same turn as scoring every turn', () => {
    fc.assert(
      fc.property(wordsArb, fc.array(turnArb, { maxLength: 25, size: 'max' }), (words, turns) => {
        expect(assignTurns(words, turns)).toEqual(bruteForce(words, turns));
      }),
      { numRuns: 300 },
    );
  });

  it('puts every word in exactly one block, blocks in time order, no text lost or repeated', () => {
    fc.assert(
      fc.property(wordsArb, fc.array(turnArb, { maxLength: 25, size: 'max' }), (words, turns) => {
        const blocks = buildBlocks(words, turns);
        const placed = blocks.flatMap((b) => b.wordIndexes);
        const expected = words.map((_, i) => i).filter((i) => words[i]!.word.trim() !== '');
        expect([...placed].sort((a, b) => a - b)).toEqual(expected);
        // Blocks follow each other in time, and so do the words inside and across them.
        const starts = placed.map((i) => words[i]!.start);
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        for (const [k, b] of blocks.entries()) {
          expect(b.segment.start_ms).toBeLessThanOrEqual(b.segment.end_ms);
          if (k > 0) expect(b.segment.start_ms).toBeGreaterThanOrEqual(blocks[k - 1]!.segment.start_ms);
        }
        // Each word text appears exactly once across all blocks, in time order.
        const text = blocks.map((b) => b.segment.text).join(' ');
        const named = placed.map((i) => words[i]!.word).filter((x) => x.startsWith('w'));
        expect(text.split(/[ ,.]+/).filter((x) => x !== '')).toEqual(named);
        expect(text.replace(/[^,.]/g, '')).toBe(
          placed
            .map((i) => words[i]!.word)
            .join('')
            .replace(/[^,.]/g, ''),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('never has two neighbouring blocks of one speaker without a long silence between them', () => {
    fc.assert(
      fc.property(
        wordsArb,
        fc.array(turnArb, { minLength: 1, maxLength: 25, size: 'max' }),
        (words, turns) => {
          const blocks = mergeWordsIntoBlocks(words, turns);
          for (let k = 1; k < blocks.length; k++) {
            const [a, b] = [blocks[k - 1]!, blocks[k]!];
            if (a.speaker === b.speaker) expect(b.start_ms - a.end_ms).toBeGreaterThan(1400);
            expect(turns.some((x) => x.speaker === b.speaker)).toBe(true);
          }
        },
      ),
    );
  });
});
