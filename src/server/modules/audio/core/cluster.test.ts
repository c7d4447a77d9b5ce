import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterFingerprints } from './cluster.js';
import { fingerprint, rng, voice } from './test-voices.js';

const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });

const T = { distanceThreshold: 0.7 };

describe('clusterFingerprints', () => {
  it('finds the voices of 18 chunks × 4 speakers and numbers clusters by first item', () => {
    const r = rng(7);
    const voices = [voice(r), voice(r), voice(r), voice(r)];
    const items = Array.from({ length: 18 }, (_, c) =>
      voices.map((v, s) => ({ key: `${c}:${(s + c) % 4}`, vector: fingerprint(r, v, 0.4), voice: s })),
    ).flat();
    const clusters = clusterFingerprints(items, T);
    expect(clusters.size).toBe(72);
    for (const it of items) expect(clusters.get(it.key)).toBe(it.voice);
  });

  it('merges below the threshold and never at or above it', () => {
    // Cosine distance 1 − cos θ between unit vectors at angle θ.
    const at = (d: number) => [1 - d, Math.sqrt(1 - (1 - d) ** 2)];
    const items = (d: number) => [
      { key: 'a', vector: [1, 0] },
      { key: 'b', vector: at(d) },
    ];
    expect([...clusterFingerprints(items(0.69), T).values()]).toEqual([0, 0]);
    expect([...clusterFingerprints(items(0.71), T).values()]).toEqual([0, 1]);
    // Exactly at the threshold stays apart (sklearn's semantics): orthogonal vectors are at exactly 1.
    const orthogonal = [
      { key: 'a', vector: [2, 0] },
      { key: 'b', vector: [0, 3] },
    ];
    expect([...clusterFingerprints(orthogonal, { distanceThreshold: 1 }).values()]).toEqual([0, 1]);
    expect([...clusterFingerprints(orthogonal, { distanceThreshold: 1.0001 }).values()]).toEqual([0, 0]);
  });

  it('average linkage does not chain voices through an in-between fingerprint; single-like merges would', () => {
    // a and c are far apart (distance ≈ 1); b sits between them (≈ 0.29 from each).
    const a = [1, 0];
    const b = [Math.SQRT1_2, Math.SQRT1_2];
    const c = [0, 1];
    const items = [
      { key: 'a', vector: a },
      { key: 'b', vector: b },
      { key: 'c', vector: c },
    ];
    expect([...clusterFingerprints(items, { distanceThreshold: 0.6 }).values()]).toEqual([0, 0, 1]);
    expect([...clusterFingerprints(items, { distanceThreshold: 0.6, linkage: 'complete' }).values()]).toEqual(
      [0, 0, 1],
    );
    // Average of {a,b}→c is (1 + 0.29)/2 ≈ 0.65: merged at 0.7, apart under complete (1).
    expect([...clusterFingerprints(items, T).values()]).toEqual([0, 0, 0]);
    expect([...clusterFingerprints(items, { ...T, linkage: 'complete' }).values()]).toEqual([0, 0, 1]);
  });

  it('honours the bounds on the number of clusters (min/max speakers)', () => {
    const r = rng(5);
    const voices = [voice(r), voice(r), voice(r), voice(r)];
    const items = voices.flatMap((v, s) =>
      [0, 1, 2].map((c) => ({ key: `${c}:${s}`, vector: fingerprint(r, v, 0.4) })),
    );
    const count = (o: Partial<Parameters<typeof clusterFingerprints>[1]>) =>
      new Set(clusterFingerprints(items, { ...T, ...o }).values()).size;
    expect(count({})).toBe(4);
    expect(count({ maxClusters: 2 })).toBe(2);
    expect(count({ minClusters: 6 })).toBe(6);
    expect(count({ minClusters: 12, maxClusters: 12 })).toBe(12);
    expect(count({ minClusters: 1, maxClusters: 4 })).toBe(4);
    // More asked for than there are fingerprints: each stays alone.
    expect(count({ minClusters: 20 })).toBe(12);
    // Forced merges still take the nearest voices: each chunk's fingerprint of a voice stays with it.
    const two = clusterFingerprints(items, { ...T, maxClusters: 2 });
    for (const s of [0, 1, 2, 3]) expect(new Set([0, 1, 2].map((c) => two.get(`${c}:${s}`))).size).toBe(1);
    expect(() => clusterFingerprints(items, { ...T, minClusters: 3, maxClusters: 2 })).toThrow(
      /1 ≤ min ≤ max/,
    );
    expect(() => clusterFingerprints(items, { ...T, minClusters: 0 })).toThrow(/1 ≤ min ≤ max/);
    expect(() => clusterFingerprints(items, { ...T, maxClusters: 2.5 })).toThrow(/whole number/);
  });

  it('handles no items, one item and zero vectors', () => {
    expect(clusterFingerprints([], T).size).toBe(0);
    expect([...clusterFingerprints([{ key: 'x', vector: [1, 2] }], T)]).toEqual([['x', 0]]);
    // A zero vector has no direction: distance 1 to everything, so it stays alone.
    const z = clusterFingerprints(
      [
        { key: 'z', vector: [0, 0] },
        { key: 'a', vector: [1, 0] },
      ],
      T,
    );
    expect([...z.values()]).toEqual([0, 1]);
  });

  it.each([
    [
      'different lengths',
      [
        { key: 'a', vector: [1, 2] },
        { key: 'b', vector: [1, 2, 3] },
      ],
      0.7,
      /differ in length \("a": 2, "b": 3\)/,
    ],
    ['an empty fingerprint', [{ key: 'a', vector: [] }], 0.7, /"a" is empty/],
    [
      'a repeated key',
      [
        { key: 'a', vector: [1] },
        { key: 'a', vector: [2] },
      ],
      0.7,
      /"a" appears twice/,
    ],
    ['a NaN value', [{ key: 'a', vector: [NaN] }], 0.7, /non-finite/],
    ['a NaN threshold', [], NaN, /threshold/],
    ['a threshold of 0', [], 0, /threshold/],
  ])('rejects %s', (_, items, distanceThreshold, message) => {
    expect(() => clusterFingerprints(items, { distanceThreshold })).toThrow(message);
  });

  /** The partition as sets of keys, independent of cluster numbers. */
  const partition = (m: Map<string, number>) => {
    const groups = new Map<number, string[]>();
    for (const [k, c] of m) groups.set(c, [...(groups.get(c) ?? []), k]);
    return [...groups.values()].map((g) => g.sort().join(',')).sort();
  };

  it('does not depend on the order of the items beyond relabeling', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        fc.constantFrom('average' as const, 'complete' as const),
        fc.boolean(),
        (seed, voices, chunks, noise, linkage, coarse) => {
          const r = rng(seed);
          const base = Array.from({ length: voices }, () => voice(r, 16));
          let items = base.flatMap((v, s) =>
            Array.from({ length: chunks }, (_, c) => ({
              key: `${c}:${s}`,
              vector: fingerprint(r, v, noise),
            })),
          );
          // Coarse vectors make exact distance ties, where merge order could otherwise matter.
          if (coarse)
            items = items.map((it) => ({ ...it, vector: it.vector.map((x) => Math.sign(Math.round(x))) }));
          const shuffled = [...items].sort(() => r() - 0.5).reverse();
          const opts = { distanceThreshold: 0.7, linkage };
          const a = clusterFingerprints(items, opts);
          const b = clusterFingerprints(shuffled, opts);
          expect(partition(b)).toEqual(partition(a));
          // Numbered 0.. in order of first item.
          const firsts = [...new Set([...b.values()])];
          expect(firsts).toEqual(firsts.map((_, i) => i));
          expect([...b.keys()]).toEqual(shuffled.map((it) => it.key));
        },
      ),
      { numRuns: 200 },
    );
  });
});
