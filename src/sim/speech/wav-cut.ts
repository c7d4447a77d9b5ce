// Cuts of a PCM16 mono WAV for tests of the simulated meeting audio (what a chunking client sends).
import { readFile } from 'node:fs/promises';
import { parseWav, pcm16Wav } from '../wav.js';

/** Samples [from, to) of a PCM16 mono WAV file as a WAV of their own. */
export async function cutWav(path: string, from: number, to: number): Promise<Buffer> {
  const w = parseWav(await readFile(path));
  if (typeof w === 'string') throw new Error(`${path}: ${w}`);
  if (w.bitsPerSample !== 16 || w.channels !== 1) throw new Error(`${path}: not PCM16 mono`);
  const bytes = Buffer.from(w.data.subarray(from * 2, to * 2)); // a copy: aligned for Int16Array
  return pcm16Wav(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), w.sampleRate);
}
