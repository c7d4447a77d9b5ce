import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchEnrolled } from './speaker-match.js';
import { fingerprint, rng, voice } from './test-voices.js';

describe('matchEnrolled', () => {
  const r = rng(11);
  const alice = voice(r);
  const bob = voice(r);
  const carol = voice(r);
  const library = [
    { id: 'spk_a', name: 'Alice', vector: fingerprint(r, alice, 0.3) },
    { id: 'spk_b', name: 'Bob', vector: fingerprint(r, bob, 0.3) },
  ];

  it('names the speakers whose voice is enrolled and leaves the others alone', () => {
    const got = matchEnrolled(
      {
        Speaker_0: fingerprint(r, carol, 0.3),
        Speaker_1: fingerprint(r, alice, 0.3),
        Speaker_2: fingerprint(r, bob, 0.3),
      },
      library,
      0.6,
    );
    expect(Object.keys(got).sort()).toEqual(['Speaker_1', 'Speaker_2']);
    expect(got.Speaker_1).toMatchObject({ id: 'spk_a', name: 'Alice' });
    expect(got.Speaker_2).toMatchObject({ id: 'spk_b', name: 'Bob' });
    expect(got.Speaker_1!.similarity).toBeGreaterThan(0.6);
  });

  it('gives a name to one speaker only: the most similar', () => {
    const closer = fingerprint(r, alice, 0.1);
    const further = fingerprint(r, alice, 0.5);
    const got = matchEnrolled({ Speaker_0: further, Speaker_1: closer }, library, 0.5);
    expect(Object.keys(got)).toEqual(['Speaker_1']);
  });

  it('requires a similarity above the threshold', () => {
    expect(matchEnrolled({ Speaker_0: [1, 0] }, [{ id: 'x', name: 'X', vector: [1, 0] }], 1)).toEqual({});
    expect(matchEnrolled({ Speaker_0: [1, 0] }, [{ id: 'x', name: 'X', vector: [1, 0] }], 0.99)).toEqual({
      Speaker_0: { id: 'x', name: 'X', similarity: 1 },
    });
  });

  it('skips fingerprints it cannot compare: empty, or of another length', () => {
    const got = matchEnrolled(
      { Speaker_0: [], Speaker_1: [1, 0, 0] },
      [
        { id: 'old', name: 'Old model', vector: [1, 0] },
        { id: 'none', name: 'Empty', vector: [] },
      ],
      0.5,
    );
    expect(got).toEqual({});
    expect(matchEnrolled({}, library, 0.5)).toEqual({});
    expect(matchEnrolled({ Speaker_0: alice }, [], 0.5)).toEqual({});
  });

  it('keeps odd labels as plain keys', () => {
    const centroids = JSON.parse('{"__proto__": [1, 0], "constructor": [0, 1]}') as Record<string, number[]>;
    const got = matchEnrolled(
      centroids,
      [
        { id: 'a', name: 'A', vector: [1, 0] },
        { id: 'b', name: 'B', vector: [0, 1] },
      ],
      0.5,
    );
    expect(Object.keys(got).sort()).toEqual(['__proto__', 'constructor']);
    expect(got.constructor).toMatchObject({ name: 'B' });
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it('is one-to-one, above the threshold, and independent of input order', () => {
    const vec = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(vec, { maxLength: 6 }),
        fc.array(vec, { maxLength: 6 }),
        fc.double({ min: -0.5, max: 0.99, noNaN: true }),
        (centroidList, enrolledList, threshold) => {
          const centroids = Object.fromEntries(centroidList.map((v, i) => [`Speaker_${i}`, v]));
          const enrolled = enrolledList.map((vector, i) => ({ id: `id${i}`, name: `N${i}`, vector }));
          const got = matchEnrolled(centroids, enrolled, threshold);
          const ids = Object.values(got).map((m) => m.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const m of Object.values(got)) expect(m.similarity).toBeGreaterThan(threshold);
          const reversed = Object.fromEntries(Object.entries(centroids).reverse());
          expect(matchEnrolled(reversed, [...enrolled].reverse(), threshold)).toEqual(got);
        },
      ),
    );
  });
});
