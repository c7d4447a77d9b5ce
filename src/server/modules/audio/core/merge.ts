// Words with timestamps + diarization turns → speaker blocks (SPEC §10). Each word goes to the turn
// that overlaps it most (the nearest turn when none does); a block ends on a speaker change or a
// silence longer than `maxSilenceS`. Pure and linear-ish: a 90-minute meeting (15k words, 900
// turns) merges in a few milliseconds, see `npm run bench -- audio`.
import type { SpeakerSegment, TimedWord } from '../../../../common/audio-api.js';
import { checkInterval } from './errors.js';
import { joinTokens } from './join-tokens.js';

export interface Turn {
  start_s: number;
  end_s: number;
  speaker: string;
  confidence: number | null;
}

export interface MergeOptions {
  /** A gap between words longer than this starts a new block (seconds, default 1.5). */
  maxSilenceS?: number;
  /** The speaker of words when there are no turns at all (default `Speaker_0`). */
  unknownSpeaker?: string;
}

/** A block with the indexes (into the input) of the words it holds. */
export interface Block {
  segment: SpeakerSegment;
  wordIndexes: number[];
}

const byStart = <T extends { start: number; end: number }>(xs: readonly T[]) =>
  xs.map((_, i) => i).sort((i, j) => xs[i]!.start - xs[j]!.start || xs[i]!.end - xs[j]!.end || i - j);

/**
 * For every word, the index (into `turns`) of its turn, or -1 when there are no turns. The best
 * turn has the largest overlap, then the smallest distance, then the earliest start (ties are
 * therefore decided the same way whatever order the turns arrive in).
 */
export function assignTurns(words: readonly TimedWord[], turns: readonly Turn[]): number[] {
  turns.forEach((t, i) => checkInterval(`turn ${i} (${t.speaker})`, t.start_s, t.end_s));
  words.forEach((w, i) => checkInterval(`word ${i} ("${w.word}")`, w.start, w.end));
  if (turns.length === 0) return words.map(() => -1);
  const order = byStart(turns.map((t) => ({ start: t.start_s, end: t.end_s })));
  const starts = order.map((i) => turns[i]!.start_s);
  const ends = order.map((i) => turns[i]!.end_s);
  // maxEnd[k] = the latest end among sorted turns 0..k: the backward walk stops once no earlier
  // turn can reach the word.
  const maxEnd: number[] = [];
  ends.forEach((e, k) => maxEnd.push(Math.max(e, k > 0 ? maxEnd[k - 1]! : -Infinity)));

  return words.map(({ start: ws, end: we }) => {
    // Last sorted turn starting at or before the word's end (binary search).
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= we) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    let bestOverlap = -1;
    let bestDistance = Infinity;
    const consider = (k: number) => {
      const overlap = Math.max(0, Math.min(we, ends[k]!) - Math.max(ws, starts[k]!));
      const distance = Math.max(0, starts[k]! - we, ws - ends[k]!);
      // `>=`/`<=`: walking backwards, an equal candidate is earlier and wins the tie.
      if (overlap > bestOverlap || (overlap === bestOverlap && distance <= bestDistance)) {
        best = k;
        bestOverlap = overlap;
        bestDistance = distance;
      }
    };
    // The first turn after the word is the only one past `lo` that can be nearest.
    if (lo < starts.length) consider(lo);
    for (let k = lo - 1; k >= 0 && maxEnd[k]! >= ws - bestDistance; k--) consider(k);
    return order[best]!;
  });
}

/** The blocks with the words they hold; `mergeWordsIntoBlocks` is this without the indexes. */
export function buildBlocks(
  words: readonly TimedWord[],
  turns: readonly Turn[],
  opts: MergeOptions = {},
): Block[] {
  const maxSilence = opts.maxSilenceS ?? 1.5;
  const unknown = opts.unknownSpeaker ?? 'Speaker_0';
  const assigned = assignTurns(words, turns);
  const blocks: Block[] = [];
  let current: { speaker: string; start: number; end: number; words: number[]; turns: Set<number> } | null =
    null;
  const close = () => {
    if (!current) return;
    const confidences = [...current.turns].map((t) => turns[t]!.confidence).filter((c) => c !== null);
    blocks.push({
      segment: {
        start_ms: Math.round(current.start * 1000),
        end_ms: Math.round(current.end * 1000),
        speaker: current.speaker,
        text: joinTokens(current.words.map((i) => words[i]!.word)),
        confidence:
          confidences.length > 0 ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null,
      },
      wordIndexes: current.words,
    });
    current = null;
  };
  // Tokens that are only whitespace carry no text: they would make empty blocks.
  const kept = byStart(words).filter((i) => words[i]!.word.trim() !== '');
  for (const i of kept) {
    const w = words[i]!;
    const turn = assigned[i]!;
    const speaker = turn >= 0 ? turns[turn]!.speaker : unknown;
    if (current && (current.speaker !== speaker || w.start - current.end > maxSilence)) close();
    if (current) {
      current.end = Math.max(current.end, w.end);
      current.words.push(i);
    } else current = { speaker, start: w.start, end: w.end, words: [i], turns: new Set() };
    if (turn >= 0) current.turns.add(turn);
  }
  close();
  return blocks;
}

export function mergeWordsIntoBlocks(
  words: readonly TimedWord[],
  turns: readonly Turn[],
  opts: MergeOptions = {},
): SpeakerSegment[] {
  return buildBlocks(words, turns, opts).map((b) => b.segment);
}
