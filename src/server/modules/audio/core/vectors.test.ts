import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioDataError } from './errors.js';
import { cosineSimilarity, meanVector, norm, normalize } from './vectors.js';

describe('vectors', () => {
  it('cosine similarity of parallel, orthogonal and opposite vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });

  it('rejects vectors of different lengths, empty vectors and non-finite values clearly', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/differ in length \(2 vs 3\)/);
    expect(() => cosineSimilarity([], [])).toThrow(AudioDataError);
    expect(() => cosineSimilarity([NaN, 1], [1, 1])).toThrow(/non-finite/);
    expect(() => meanVector([[1, 2], [1]])).toThrow(/differ in length/);
    expect(() => meanVector([])).toThrow(/no vectors/);
    expect(() => normalize([])).toThrow(/empty/);
    expect(() => normalize([Infinity])).toThrow(/non-finite/);
  });

  it('normalises to unit length; zero stays zero', () => {
    expect(normalize([3, 4])).toEqual([0.6, 0.8]);
    expect(normalize([0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('means element-wise', () => {
    expect(
      meanVector([
        [1, 2],
        [3, 6],
        [2, 1],
      ]),
    ).toEqual([2, 3]);
  });

  const vec = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 });
  it('similarity is symmetric, within [-1, 1] and scale-invariant', () => {
    fc.assert(
      fc.property(vec, vec, fc.double({ min: 0.01, max: 100, noNaN: true }), (a, b, k) => {
        const s = cosineSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(-1);
        expect(s).toBeLessThanOrEqual(1);
        expect(cosineSimilarity(b, a)).toBeCloseTo(s, 9);
        if (norm(a) > 1e-3 && norm(b) > 1e-3)
          expect(
            cosineSimilarity(
              a.map((x) => x * k),
              b,
            ),
          ).toBeCloseTo(s, 6);
      }),
    );
  });
});
