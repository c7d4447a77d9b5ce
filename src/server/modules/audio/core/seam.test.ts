import { describe, expect, it } from 'vitest';
import { seamCut } from './seam.js';

// Two chunks overlapping on [90, 110): planned cut at 100, the search reaches 95..105.
const a = { start_s: 0, end_s: 110, keep_from_s: 0, keep_to_s: 100, index: 0 };
const b = { start_s: 90, end_s: 200, keep_from_s: 100, keep_to_s: 200, index: 1 };
/** Absolute word times → chunk-relative for `side`. */
const on = (span: typeof a, ...words: [number, number][]) => ({
  span,
  words: words.map(([s, e]) => ({ start: s - span.start_s, end: e - span.start_s })),
});

describe('seamCut', () => {
  it('keeps the planned cut in silence', () => {
    expect(seamCut(on(a), on(b))).toBe(100);
  });

  it('moves off a word lying across the planned cut to the widest pause both chunks leave', () => {
    // Words every 1 s of 0.8 s, except a 1.2 s pause after 101.8; chunk b hears them 50 ms later.
    const words: [number, number][] = [];
    for (let t = 95; t < 105; t++) if (t !== 102) words.push([t - 0.2, t + 0.6]);
    const late = words.map(([s, e]) => [s + 0.05, e + 0.05] as [number, number]);
    const cut = seamCut(on(a, ...words), on(b, ...late));
    expect(cut).toBeCloseTo((101.65 + 102.8) / 2, 9);
  });

  it('prefers the pause nearest the plan among equally wide ones', () => {
    const words: [number, number][] = [
      [94, 97],
      [97.5, 99.8],
      [100.3, 102.5],
      [103, 106],
    ];
    expect(seamCut(on(a, ...words), on(b))).toBeCloseTo(100.05, 9);
  });

  it('keeps the planned cut when speech covers the whole search window', () => {
    expect(seamCut(on(a, [94, 106]), on(b, [93, 107]))).toBe(100);
  });

  it('ignores pauses outside a quarter of the overlap', () => {
    // The only pause is at 94.2..94.6 (outside 95..105): nothing to move to.
    expect(seamCut(on(a, [90, 94.2], [94.6, 106]), on(b))).toBe(100);
  });

  it('keeps the planned cut for chunks that do not overlap', () => {
    const c = { ...b, start_s: 110 };
    expect(seamCut(on(a, [99, 101]), on(c, [110, 111]))).toBe(100);
  });

  it("never moves past the middle of either neighbour's keep range", () => {
    // Overlap 90..110 but keep ranges of only 4 s either side: the pause at 97..97.5 is out of reach.
    const a2 = { ...a, keep_from_s: 96 };
    const b2 = { ...b, keep_to_s: 104 };
    expect(seamCut(on(a2, [95, 97], [97.5, 105]), on(b2))).toBe(100);
    expect(seamCut(on(a2, [95, 98.5], [99, 105]), on(b2))).toBeCloseTo(98.75, 9);
  });
});
