// mp3 without ffmpeg: the pure-JS LAME port (@breezystack/lamejs), so OpenAI's default format works
// on any host. Encoded a slice at a time, yielding to the event loop between slices, so a long
// reply neither blocks other requests nor waits to be whole before its first bytes are sent.
import { Mp3Encoder } from '@breezystack/lamejs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { resample, type Pcm16 } from './wav.js';
import { OUTPUT_RATE } from './formats.js';

/** Rates an MPEG-1/2/2.5 layer III stream can carry. */
const MP3_RATES = new Set([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]);
const KBPS = 64;
/** 1152 samples per MP3 frame; about 1.2 s of audio at 22 kHz per slice. */
const SLICE = 1152 * 24;

/** Encodes mono PCM16 as a CBR mp3 stream; any rate mp3 cannot carry is resampled to 24 kHz. */
export async function* encodeMp3(pcm: Pcm16): AsyncGenerator<Buffer> {
  const rate = MP3_RATES.has(pcm.rate) ? pcm.rate : OUTPUT_RATE;
  const samples = rate === pcm.rate ? pcm.samples : resample(pcm.samples, pcm.rate, rate);
  const encoder = new Mp3Encoder(1, rate, KBPS);
  for (let off = 0; off < samples.length; off += SLICE) {
    const out = encoder.encodeBuffer(samples.subarray(off, off + SLICE));
    if (out.length > 0) yield Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    await nextTurn();
  }
  const tail = encoder.flush();
  if (tail.length > 0) yield Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
}
