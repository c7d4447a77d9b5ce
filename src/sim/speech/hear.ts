// Runs the ear (meeting-decode.ts) over an uploaded WAV without holding up the simulator: samples go
// in ~1 s blocks with a turn of the event loop between them (the sim's SSH servers share this
// thread), and results are kept for the last few distinct uploads, since a client usually asks
// for a chunk's transcription and its diarization together.
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { WavInfo } from '../wav.js';
import { float32Blocks, type HeardAudio, MeetingEar, pcm16Blocks } from './meeting-decode.js';

const CACHE = 8;
const cache = new Map<string, HeardAudio>();

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
  cache.set(key, heard);
  for (const k of cache.keys()) if (cache.size > CACHE) cache.delete(k);
  return heard;
}
