// Small vector maths for speaker fingerprints (192 floats from TitaNet). Lengths are checked
// because a library enrolled with another embedding model would otherwise compare garbage.
import { AudioDataError } from './errors.js';

function check(a: readonly number[], b: readonly number[]): void {
  if (a.length === 0 || b.length === 0) throw new AudioDataError('an empty vector cannot be compared');
  if (a.length !== b.length) {
    throw new AudioDataError(
      `vectors differ in length (${a.length} vs ${b.length}): fingerprints from different models?`,
    );
  }
}

function checkFinite(v: readonly number[]): void {
  for (const x of v)
    if (!Number.isFinite(x)) throw new AudioDataError(`vector holds a non-finite value (${x})`);
}

export function norm(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros (it has no direction). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  check(a, b);
  checkFinite(a);
  checkFinite(b);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : Math.max(-1, Math.min(1, dot / n));
}

/** Unit-length copy; an all-zero vector stays all zeros. */
export function normalize(v: readonly number[]): number[] {
  if (v.length === 0) throw new AudioDataError('an empty vector cannot be normalised');
  checkFinite(v);
  const n = norm(v);
  return n === 0 ? v.map(() => 0) : v.map((x) => x / n);
}

/** Element-wise mean of vectors of one length. */
export function meanVector(vs: readonly (readonly number[])[]): number[] {
  const first = vs[0];
  if (first === undefined) throw new AudioDataError('the mean of no vectors is undefined');
  const sum = new Array<number>(first.length).fill(0);
  for (const v of vs) {
    check(first, v);
    checkFinite(v);
    for (let i = 0; i < v.length; i++) sum[i]! += v[i]!;
  }
  return sum.map((s) => s / vs.length);
}
