// Runs the ear (meeting-decode.ts) over an uploaded WAV without holding up the simulator: samples go
// in ~1 s blocks with a turn of the event loop between them (the sim's SSH servers share this
// thread), and results are kept for the last few distinct uploads, since a client usually asks
// for a chunk's transcription and its diarization together (in parallel: the second request waits
// for the first one's hearing instead of doing it again).
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { WavInfo } from '../wav.js';
import { type HeardAudio, MeetingEar } from './meeting-decode.js';

const CACHE = 8;
const cache = new Map<string, Promise<HeardAudio>>();

/** A stable 32-bit seed from the audio's bytes (the per-file noise of fingerprints). */
export function audioSeed(data: Buffer): number {
  return createHash('sha1').update(data).digest().readUInt32LE(0);
}

function blocksOf(w: WavInfo): Iterable<Float32Array> | null {
  const ext = w.format === 0xfffe;
  if ((w.format === 1 || ext) && w.bitsPerSample === 16) return pcm16Blocks(w.data, w.channels, w.sampleRate);
  if ((w.format === 3 || ext) && w.bitsPerSample === 32)
    return float32Blocks(w.data, w.channels, w.sampleRate);
  return null;
}

/** What the fake models hear in a WAV: meeting words, active stretches, pitch. */
export async function hearWav(w: WavInfo): Promise<HeardAudio> {
  const key = `${w.sampleRate}:${w.channels}:${w.format}:${w.bitsPerSample}:${createHash('sha1').update(w.data).digest('hex')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const heard = listen(w);
  cache.set(key, heard);
  for (const k of cache.keys()) if (cache.size > CACHE) cache.delete(k);
  heard.catch(() => cache.delete(key)); // never keep a failure; the caller sees it
  return heard;
}

async function listen(w: WavInfo): Promise<HeardAudio> {
  const blocks = blocksOf(w);
  let heard: HeardAudio;
  if (!blocks) {
    // A sample format the ear does not read (8-bit, 24-bit): audible unless all zero, no words.
    const silent = w.data.every((b) => b === 0);
    heard = {
      duration_s: w.duration,
      sample_rate: w.sampleRate,
      words: [],
      active: silent ? [] : [{ start_s: 0, end_s: Math.round(w.duration * 1000) / 1000 }],
      pitch_hz: null,
    };
  } else {
    const ear = new MeetingEar(w.sampleRate);
    for (const block of blocks) {
      ear.push(block);
      await setImmediate();
    }
    heard = ear.finish();
  }
  return heard;
}

/** PCM16 (little-endian bytes) as floats, channel 0 of interleaved frames, in blocks. */
export function* pcm16Blocks(data: Buffer, channels = 1, block = 65_536): Generator<Float32Array> {
  const frames = Math.floor(data.length / (2 * channels));
  // An Int16Array view needs an even offset (a multipart part can start anywhere).
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
  const view = new Int16Array(aligned.buffer, aligned.byteOffset, frames * channels);
  for (let f0 = 0; f0 < frames; f0 += block) {
    const len = Math.min(block, frames - f0);
    const out = new Float32Array(len);
    for (let i = 0; i < len; i++) out[i] = (view[(f0 + i) * channels] as number) / 32768;
    yield out;
  }
}

/** Float32 (IEEE) little-endian bytes as floats, channel 0, in blocks. */
export function* float32Blocks(data: Buffer, channels = 1, block = 65_536): Generator<Float32Array> {
  const frames = Math.floor(data.length / (4 * channels));
  for (let f0 = 0; f0 < frames; f0 += block) {
    const len = Math.min(block, frames - f0);
    const out = new Float32Array(len);
    for (let i = 0; i < len; i++) out[i] = data.readFloatLE((f0 + i) * 4 * channels);
    yield out;
  }
}
