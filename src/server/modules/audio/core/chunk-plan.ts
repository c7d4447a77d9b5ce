// Long audio → chunks of equal length (at most `chunkS`) that overlap by `overlapS`. Each overlap
// is split at its middle: a chunk's keep range is where its words and turns are trusted (away
// from its cut edges), and the keep ranges tile [0, duration) exactly — so stitching the chunks
// back together neither loses nor repeats anything.
import { AudioDataError } from './errors.js';

export interface ChunkSpan {
  index: number;
  /** The audio the chunk covers (seconds, absolute). */
  start_s: number;
  end_s: number;
  /** The part of it whose results are kept: [keep_from_s, keep_to_s). */
  keep_from_s: number;
  keep_to_s: number;
}

export function planChunks(durationS: number, opts: { chunkS: number; overlapS: number }): ChunkSpan[] {
  const { chunkS, overlapS } = opts;
  if (!Number.isFinite(durationS) || durationS < 0) {
    throw new AudioDataError(`audio duration must be finite and ≥ 0 (got ${durationS})`);
  }
  if (!Number.isFinite(chunkS) || chunkS <= 0)
    throw new AudioDataError(`chunk length must be > 0 (got ${chunkS})`);
  if (!Number.isFinite(overlapS) || overlapS < 0 || overlapS >= chunkS) {
    throw new AudioDataError(
      `chunk overlap must be ≥ 0 and shorter than a chunk (got ${overlapS} for ${chunkS} s chunks)`,
    );
  }
  if (durationS === 0) return [];
  if (durationS <= chunkS)
    return [{ index: 0, start_s: 0, end_s: durationS, keep_from_s: 0, keep_to_s: durationS }];
  // Equal chunks rather than full ones plus a short tail: a 3-second last chunk would give the
  // diarizer too little voice to fingerprint.
  const count = Math.ceil((durationS - overlapS) / (chunkS - overlapS));
  const step = (durationS - overlapS) / count;
  const starts = Array.from({ length: count }, (_, i) => i * step);
  // From the next chunk's start (not this one's plus the step): rounding can then never leave a
  // gap between two chunks, and the cut in the middle of the overlap lies inside both.
  const ends = starts.map((_, i) =>
    i === count - 1 ? durationS : Math.min(durationS, starts[i + 1]! + overlapS),
  );
  // One boundary value shared by neighbours: keep_to of chunk i is keep_from of chunk i+1.
  const cuts = [0, ...starts.slice(1).map((s, i) => (s + ends[i]!) / 2), durationS];
  return starts.map((s, i) => ({
    index: i,
    start_s: s,
    end_s: ends[i]!,
    keep_from_s: cuts[i]!,
    keep_to_s: cuts[i + 1]!,
  }));
}
