// Words with timestamps + diarization turns → speaker blocks (SPEC §10). Each word goes to the turn
// that overlaps it most (the nearest turn when none does); a block ends on a speaker change or a
// silence longer than `maxSilenceS`. Pure and linear-ish: a 90-minute meeting (15k words, 900
// turns) merges in a few milliseconds, see `npm run bench -- audio`.
import type { SpeakerSegment, TimedWord } from '../../../../common/audio-api.js';
import { intervalError, isInterval } from './errors.js';
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

/** Indexes of `xs` by start, then end, then position (stable); input already in order costs one pass. */
function byStart<T extends { start: number; end: number }>(xs: readonly T[]): number[] {
  const order = xs.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < xs.length && sorted; i++) {
    const a = xs[i - 1]!;
    const b = xs[i]!;
    sorted = a.start < b.start || (a.start === b.start && a.end <= b.end);
  }
  return sorted
    ? order
    : order.sort((i, j) => xs[i]!.start - xs[j]!.start || xs[i]!.end - xs[j]!.end || i - j);
}

/**
 * For every word, the index (into `turns`) of its turn, or -1 when there are no turns. The best
 * turn has the largest overlap, then the smallest distance, then the earliest start (ties are
 * therefore decided the same way whatever order the turns arrive in).
 */
export function assignTurns(words: readonly TimedWord[], turns: readonly Turn[]): number[] {
  // Checked in a plain loop: naming every word up front would cost more than the merge itself.
  turns.forEach((t, i) => {
    if (!isInterval(t.start_s, t.end_s)) throw intervalError(`turn ${i} (${t.speaker})`, t.start_s, t.end_s);
  });
  words.forEach((w, i) => {
    if (!isInterval(w.start, w.end)) throw intervalError(`word ${i} ("${w.word}")`, w.start, w.end);
  });
  if (turns.length === 0) return words.map(() => -1);
  const order = byStart(turns.map((t) => ({ start: t.start_s, end: t.end_s })));
  const n = order.length;
  const starts = Float64Array.from(order, (i) => turns[i]!.start_s);
  const ends = Float64Array.from(order, (i) => turns[i]!.end_s);
  // maxEnd[k] = the latest end among sorted turns 0..k: the backward walk stops once no earlier
  // turn can reach the word.
  const maxEnd = new Float64Array(n);
  for (let k = 0; k < n; k++) maxEnd[k] = Math.max(ends[k]!, k > 0 ? maxEnd[k - 1]! : -Infinity);

  const out = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) {
    const ws = words[i]!.start;
    const we = words[i]!.end;
    // Past the last sorted turn starting at or before the word's end (binary search).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= we) lo = mid + 1;
      else hi = mid;
    }
    // The first turn after the word is the only one past `lo` that can be nearest; then walk back.
    let best = -1;
    let bestOverlap = -1;
    let bestDistance = Infinity;
    for (let k = lo < n ? lo : lo - 1; k >= 0; k--) {
      // Every turn from here back is further than the best (the same float expression as the
      // distance below, so an exact tie is never cut off by rounding).
      if (k < lo && ws - maxEnd[k]! > bestDistance) break;
      const overlap = Math.max(0, Math.min(we, ends[k]!) - Math.max(ws, starts[k]!));
      const distance = Math.max(0, starts[k]! - we, ws - ends[k]!);
      // `>=`/`<=`: walking backwards, an equal candidate is earlier and wins the tie.
      if (overlap > bestOverlap || (overlap === bestOverlap && distance <= bestDistance)) {
        best = k;
        bestOverlap = overlap;
        bestDistance = distance;
      }
    }
    out[i] = order[best]!;
  }
  return out;
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
  const order = byStart(words);
  const blocks: Block[] = [];
  // The open block, in plain locals (this loop runs for every word of a 90-minute meeting).
  let speaker = '';
  let end = -Infinity;
  let members: number[] = [];
  for (const i of order) {
    const w = words[i]!;
    // Tokens that are only whitespace carry no text: they would make empty blocks.
    if (w.word.trim() === '') continue;
    const turn = assigned[i]!;
    const who = turn >= 0 ? turns[turn]!.speaker : unknown;
    if (members.length > 0 && (who !== speaker || w.start - end > maxSilence)) {
      blocks.push(toBlock(words, turns, assigned, members, speaker, end));
      members = [];
    }
    if (members.length === 0) {
      speaker = who;
      end = w.end;
    } else if (w.end > end) end = w.end;
    members.push(i);
  }
  if (members.length > 0) blocks.push(toBlock(words, turns, assigned, members, speaker, end));
  return blocks;
}

function toBlock(
  words: readonly TimedWord[],
  turns: readonly Turn[],
  assigned: readonly number[],
  members: number[],
  speaker: string,
  endS: number,
): Block {
  const first = members[0]!;
  // Confidence: the mean over the distinct turns the words came from (unknown ones left out).
  const used = new Set<number>();
  let sum = 0;
  let known = 0;
  const tokens: string[] = [];
  for (const i of members) {
    tokens.push(words[i]!.word);
    const t = assigned[i]!;
    if (t < 0 || used.has(t)) continue;
    used.add(t);
    const c = turns[t]!.confidence;
    // A NaN from the worker is as good as unknown (and would serialise as null anyway).
    if (c !== null && Number.isFinite(c)) {
      sum += c;
      known++;
    }
  }
  return {
    segment: {
      start_ms: Math.round(words[first]!.start * 1000),
      end_ms: Math.round(endS * 1000),
      speaker,
      text: joinTokens(tokens),
      confidence: known > 0 ? sum / known : null,
    },
    wordIndexes: members,
  };
}

export function mergeWordsIntoBlocks(
  words: readonly TimedWord[],
  turns: readonly Turn[],
  opts: MergeOptions = {},
): SpeakerSegment[] {
  return buildBlocks(words, turns, opts).map((b) => b.segment);
}
