// Test fixtures shared by the clustering, stitching and matching tests: voices as random unit
// directions in 192 dimensions, and fingerprints of them with noise — what the simulator's
// diarizer does, without the simulator.
export const DIM = 192;

/** A seeded generator, so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Approximately normal (sum of uniforms). */
const gauss = (r: () => number) => r() + r() + r() + r() - 2;

export function voice(r: () => number, dim = DIM): number[] {
  return Array.from({ length: dim }, () => gauss(r));
}

/** The voice plus noise of about `noise` times its size: cosine distance ≈ noise²/2 for small noise. */
export function fingerprint(r: () => number, base: readonly number[], noise: number): number[] {
  return base.map((x) => x + noise * gauss(r));
}
