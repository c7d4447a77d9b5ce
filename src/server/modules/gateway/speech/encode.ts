// Magpie's WAV → the requested format, as a stream of byte chunks, by the encoder the plan chose.
import { availableParallelism } from 'node:os';
import { AppError } from '../../../platform/http/errors.js';
import { EncoderSlots } from './encoder-slots.js';
import { OUTPUT_RATE, type SpeechPlan } from './formats.js';
import { EncoderError, ffmpegArgs, runFfmpeg } from './ffmpeg.js';
import { encodeMp3 } from './mp3.js';
import { pcm16Of, pcmBytes, resample, wavFile } from './wav.js';

export interface EncodeInput {
  plan: SpeechPlan;
  wav: Buffer;
  speed: number;
  /** The ffmpeg binary, when the plan uses it. */
  ffmpeg: string | null;
  signal?: AbortSignal;
  /** Bounds the ffmpeg processes running at once (FFMPEG_SLOTS unless a test brings its own). */
  slots?: EncoderSlots;
}

/** One ffmpeg per core at most (two on a one-core host); up to 32 more requests wait in line. */
export const FFMPEG_SLOTS = new EncoderSlots(Math.max(2, availableParallelism()), 32);

const notPcm16 = () =>
  new AppError('UPSTREAM_ERROR', 'magpie answered audio that is not a 16-bit mono WAV file');

export async function* encodeSpeech(o: EncodeInput): AsyncGenerator<Buffer> {
  const { plan, wav } = o;
  if (plan.encoder === 'wav') {
    if (wav.toString('ascii', 0, 4) !== 'RIFF') throw notPcm16();
    yield wav;
    return;
  }
  if (plan.encoder === 'ffmpeg') {
    if (!o.ffmpeg) throw new EncoderError('ffmpeg', 'not installed');
    const release = await (o.slots ?? FFMPEG_SLOTS).acquire(o.signal);
    // The slot is given back when the encoding ends, fails, or the client leaves (a generator
    // abandoned at a yield never reaches its `finally`; the abort still frees the slot).
    o.signal?.addEventListener('abort', release, { once: true });
    try {
      const out = runFfmpeg(o.ffmpeg, ffmpegArgs(plan.format, o.speed), wav, o.signal);
      if (plan.format !== 'wav') {
        yield* out;
        return;
      }
      // ffmpeg gave raw samples (a piped WAV header cannot carry sizes): wrap them whole.
      const parts: Buffer[] = [];
      for await (const chunk of out) parts.push(chunk);
      yield wavFile(Buffer.concat(parts), OUTPUT_RATE);
      return;
    } finally {
      o.signal?.removeEventListener('abort', release);
      release();
    }
  }
  const pcm = pcm16Of(wav);
  if (!pcm) throw notPcm16();
  if (plan.encoder === 'lame') {
    try {
      yield* encodeMp3(pcm);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new EncoderError('the mp3 encoder (lamejs)', err instanceof Error ? err.message : String(err));
    }
    return;
  }
  yield pcmBytes(resample(pcm.samples, pcm.rate, OUTPUT_RATE));
}
