// The fake TitaNet: 192-float speaker fingerprints. Each simulated meeting voice has a fixed unit
// vector (the six are orthonormal, so two voices sit at cosine distance ~1); other audio gets a
// vector picked by its pitch. Every file adds its own noise (off the voices' span), so one voice in
// two files or chunks lands at cosine distance ~0.04 — close, but never identical, as real
// embeddings are. The noise is seeded by the file's bytes: the same file gives the same answer.
import { mulberry32 } from './random.js';
import { VOICE_COUNT } from './meeting-code.js';

export const EMBEDDING_DIM = 192;
/** Norm of the per-file noise next to the unit voice vector. */
const NOISE = 0.2;

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function randomVector(seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: EMBEDDING_DIM }, () => gaussian(random));
}

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const scale = (a: number[], k: number): number[] => a.map((x) => x * k);
const unit = (a: number[]): number[] => scale(a, 1 / Math.sqrt(dot(a, a) || 1));

/** The six voices' vectors, orthonormalised (Gram–Schmidt) once. */
const BASIS: number[][] = [];
for (let v = 0; v < VOICE_COUNT; v++) {
  let x = randomVector(0x5eed + v);
  for (const b of BASIS) x = x.map((xi, i) => xi - dot(x, b) * (b[i] as number));
  BASIS.push(unit(x));
}

export function voiceVector(voice: number): number[] {
  const b = BASIS[voice];
  if (!b) throw new RangeError(`no voice ${voice}`);
  return b;
}

/** Audio that is not a simulated meeting: a vector per 20 Hz pitch band (same voice, same band). */
export function pitchVector(hz: number | null): number[] {
  return unit(randomVector(0x917c4 + Math.round((hz ?? 0) / 20)));
}

/** The embedding of a clip holding these voices for these durations (seconds), plus file noise. */
export function fingerprint(mix: { vector: number[]; seconds: number }[], noiseSeed: number): number[] {
  const total = mix.reduce((s, m) => s + m.seconds, 0) || 1;
  const clean = unit(
    mix.reduce(
      (acc, m) => acc.map((x, i) => x + (m.vector[i] as number) * (m.seconds / total)),
      new Array<number>(EMBEDDING_DIM).fill(0),
    ),
  );
  let noise = randomVector(noiseSeed);
  for (const b of BASIS) noise = noise.map((x, i) => x - dot(noise, b) * (b[i] as number));
  noise = scale(unit(noise), NOISE);
  // Real embeddings are not unit length: a per-file gain keeps clients honest about normalising.
  const gain = 0.8 + 0.4 * mulberry32(noiseSeed ^ 0x9a1)();
  return clean.map((x, i) => Math.round((x + (noise[i] as number)) * gain * 1e6) / 1e6);
}

export function cosineDistance(a: number[], b: number[]): number {
  return 1 - dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}
