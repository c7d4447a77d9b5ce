// Where two neighbouring chunks hand over. The plan cuts in the middle of their overlap, but the
// two chunks transcribe the overlap separately and their word times differ a little: a word lying
// across the planned cut could then be kept by both chunks, or by neither. So the cut moves to the
// widest pause that both chunks agree on near the planned point — with no word of either chunk
// across it, every word falls on the same side in both transcriptions.
import type { ChunkSpan } from './chunk-plan.js';

interface Side {
  span: ChunkSpan;
  /** Chunk-relative word times. */
  words: readonly { start: number; end: number }[];
}

/**
 * The cut between chunk `a` and the chunk `b` after it (absolute seconds), within a quarter of
 * their overlap either side of the planned cut; the planned cut when there is no pause there.
 */
export function seamCut(a: Side, b: Side): number {
  const planned = a.span.keep_to_s;
  const overlapFrom = Math.max(a.span.start_s, b.span.start_s);
  const overlapTo = Math.min(a.span.end_s, b.span.end_s);
  if (!(overlapTo > overlapFrom)) return planned;
  // A quarter of the overlap: words there are whole in both chunks (away from either cut edge).
  const reach = (overlapTo - overlapFrom) / 4;
  // Nor past the middle of either chunk's planned keep range: with a long overlap and a short
  // step, two seams of one chunk could otherwise cross and leave it an empty (inverted) range.
  const lo = Math.max(overlapFrom, planned - reach, (a.span.keep_from_s + planned) / 2);
  const hi = Math.min(overlapTo, planned + reach, (planned + b.span.keep_to_s) / 2);
  if (!(hi > lo)) return planned;

  const near: [number, number][] = [];
  for (const side of [a, b]) {
    for (const w of side.words) {
      const start = w.start + side.span.start_s;
      const end = w.end + side.span.start_s;
      if (end >= lo && start <= hi) near.push([start, end]);
    }
  }
  near.sort((x, y) => x[0] - y[0]);

  let best = { width: 0, at: planned };
  const consider = (from: number, to: number) => {
    const width = to - from;
    const at = (from + to) / 2;
    // Widest first: the most room for the two transcriptions to disagree; then nearest the plan.
    if (
      width > best.width ||
      (width === best.width && width > 0 && Math.abs(at - planned) < Math.abs(best.at - planned))
    ) {
      best = { width, at };
    }
  };
  let covered = lo;
  for (const [start, end] of near) {
    if (start > covered) consider(covered, Math.min(start, hi));
    covered = Math.max(covered, end);
    if (covered >= hi) break;
  }
  if (hi > covered) consider(covered, hi);
  return best.at;
}
