import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChunks } from './chunk-plan.js';

describe('planChunks', () => {
  it('one chunk for audio no longer than a chunk, none for no audio', () => {
    expect(planChunks(0, { chunkS: 300, overlapS: 5 })).toEqual([]);
    expect(planChunks(300, { chunkS: 300, overlapS: 5 })).toEqual([
      { index: 0, start_s: 0, end_s: 300, keep_from_s: 0, keep_to_s: 300 },
    ]);
  });

  it('cuts into equal chunks that overlap, keeping each overlap half on either side', () => {
    // 90 min in chunks of at most 300 s overlapping 10 s: (5400 - 10) / 290 → 19 chunks, 283.68 s apart.
    const chunks = planChunks(5400, { chunkS: 300, overlapS: 10 });
    expect(chunks).toHaveLength(19);
    expect(chunks[0]).toMatchObject({ start_s: 0, keep_from_s: 0 });
    expect(chunks[1]!.start_s).toBeCloseTo(5390 / 19, 9);
    expect(chunks[0]!.end_s - chunks[1]!.start_s).toBeCloseTo(10, 9);
    expect(chunks[0]!.keep_to_s).toBeCloseTo(chunks[1]!.start_s + 5, 9);
    expect(chunks.at(-1)).toMatchObject({ end_s: 5400, keep_to_s: 5400 });
    expect(planChunks(10, { chunkS: 4, overlapS: 1 }).map((c) => [c.start_s, c.end_s])).toEqual([
      [0, 4],
      [3, 7],
      [6, 10],
    ]);
  });

  it.each([
    [NaN, 300, 5, /duration/],
    [-1, 300, 5, /duration/],
    [600, 0, 0, /chunk length/],
    [600, 300, 300, /overlap/],
    [600, 300, -1, /overlap/],
    [Infinity, 300, 5, /duration/],
  ])('rejects duration %d, chunk %d, overlap %d', (d, chunkS, overlapS, message) => {
    expect(() => planChunks(d, { chunkS, overlapS })).toThrow(message);
  });

  it('keep ranges tile [0, duration) exactly, inside chunks no longer than asked', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0001, max: 60, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
        (chunksWorth, chunkS, overlapRatio) => {
          const duration = chunkS * chunksWorth;
          const overlapS = chunkS * overlapRatio;
          const chunks = planChunks(duration, { chunkS, overlapS });
          expect(chunks.length).toBeGreaterThan(0);
          expect(chunks[0]!.keep_from_s).toBe(0);
          expect(chunks.at(-1)!.keep_to_s).toBe(duration);
          expect(chunks.at(-1)!.end_s).toBe(duration);
          chunks.forEach((c, i) => {
            expect(c.index).toBe(i);
            expect(c.keep_to_s).toBeGreaterThan(c.keep_from_s);
            expect(c.start_s).toBeLessThanOrEqual(c.keep_from_s);
            expect(c.keep_to_s).toBeLessThanOrEqual(c.end_s + 1e-9 * duration);
            expect(c.end_s - c.start_s).toBeLessThanOrEqual(chunkS * (1 + 1e-9));
            if (i > 0) expect(c.keep_from_s).toBe(chunks[i - 1]!.keep_to_s);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
