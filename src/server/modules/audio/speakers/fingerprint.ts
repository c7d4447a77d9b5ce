// Pure fingerprint logic of the speaker library: what a valid voice vector is, which voice of a
// diarized sample is the one being enrolled, and how samples are summed and stored.
//
// Averaging: each sample's vector is scaled to unit length before it is added to the speaker's
// running sum, and the stored pair is (sum, count). Matching is by cosine similarity, so only the
// direction counts; unit-scaling first gives every sample the same weight whatever the embedding's
// magnitude (TitaNet's vary with loudness and length), and keeping the sum makes adding a sample
// one exact addition instead of re-averaging an already rounded mean. The voice used for matching
// is the sum scaled to unit length (the same direction as the mean).
import type { DiarizeChunkResponse } from '../../../../common/audio-api.js';

export const FINGERPRINT_DIMS = 192;
/** Less speech than this gives a fingerprint too noisy to name anyone by. */
export const MIN_SPEECH_S = 1;

/** Why a vector cannot be a fingerprint, or null when it can. */
export function fingerprintProblem(v: unknown): string | null {
  if (!Array.isArray(v)) return 'the fingerprint is not a list of numbers';
  if (v.length !== FINGERPRINT_DIMS)
    return `the fingerprint has ${v.length} values where ${FINGERPRINT_DIMS} are expected`;
  let sq = 0;
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isFinite(x))
      return 'the fingerprint contains a value that is not a finite number';
    sq += x * x;
  }
  if (!(sq > 0) || !Number.isFinite(sq)) return 'the fingerprint is all zeros (or too large to scale)';
  return null;
}

/** `v` scaled to length 1 (callers check `fingerprintProblem` first). */
export function unitVector(v: readonly number[]): number[] {
  let sq = 0;
  for (const x of v) sq += x * x;
  const n = Math.sqrt(sq);
  return v.map((x) => x / n);
}

export function addToSum(sum: readonly number[] | null, sample: readonly number[]): number[] {
  const u = unitVector(sample);
  return sum ? sum.map((x, i) => x + u[i]!) : u;
}

export interface DominantVoice {
  /** The sample's local label (`Speaker_0`…). */
  label: string;
  vector: number[];
  /** Seconds of speech of that voice in the sample. */
  speech_s: number;
  /** How many voices spoke in the sample. */
  voices: number;
}

export type DominantOutcome =
  | { ok: true; voice: DominantVoice }
  | { ok: false; reason: 'no_speech' | 'too_little_speech' | 'no_fingerprint'; message: string };

/**
 * The voice that speaks most in a diarized sample (ties: the one heard first). Its fingerprint is
 * required: falling back to a quieter voice would enroll someone else under the name.
 */
export function dominantVoice(r: DiarizeChunkResponse): DominantOutcome {
  const speech = new Map<string, number>();
  for (const s of r.segments) {
    const len = s.end_s - s.start_s;
    if (Number.isFinite(len) && len > 0) speech.set(s.speaker, (speech.get(s.speaker) ?? 0) + len);
  }
  let best: [string, number] | null = null;
  for (const entry of speech) if (!best || entry[1] > best[1]) best = entry;
  if (!best)
    return {
      ok: false,
      reason: 'no_speech',
      message: 'No speech was found in the sample; send a recording of the speaker talking.',
    };
  const [label, seconds] = best;
  if (seconds < MIN_SPEECH_S)
    return {
      ok: false,
      reason: 'too_little_speech',
      message: `The sample holds only ${seconds.toFixed(1)} s of speech; send at least ${MIN_SPEECH_S} s of the speaker talking (10–30 s works best).`,
    };
  const vector = r.fingerprints[label];
  const problem = fingerprintProblem(vector);
  if (problem || !vector)
    return {
      ok: false,
      reason: 'no_fingerprint',
      message: `The diarizer heard the speaker but gave no usable fingerprint (${problem ?? 'none returned'}); try a longer or cleaner sample.`,
    };
  return { ok: true, voice: { label, vector, speech_s: round1(seconds), voices: speech.size } };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Little-endian float64: exact, and independent of the machine that reads it back. */
export function encodeVector(v: readonly number[]): Buffer {
  const b = Buffer.alloc(v.length * 8);
  v.forEach((x, i) => b.writeDoubleLE(x, i * 8));
  return b;
}

export function decodeVector(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i + 8 <= b.length; i += 8) out.push(b.readDoubleLE(i));
  return out;
}
