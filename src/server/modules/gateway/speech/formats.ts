// Which encoder makes each OpenAI speech format (pure, so every case is a table test). Magpie gives
// WAV; ffmpeg makes every format when it is installed; without it mp3 comes from the pure-JS LAME
// port, wav is Magpie's file as is and pcm is resampled in JS, and the rest needs ffmpeg.
import { AppError } from '../../../platform/http/errors.js';

export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];

/** OpenAI's `pcm`: 24 kHz, 16-bit signed little-endian, mono. Every ffmpeg output uses this rate. */
export const OUTPUT_RATE = 24_000;

/** The Content-Type OpenAI answers with for each format. */
export const CONTENT_TYPES: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export const INSTALL_FFMPEG = 'install ffmpeg on the Spark Control host (apt-get install ffmpeg)';

export type Encoder =
  /** ffmpeg reads the WAV on stdin and writes the format on stdout. */
  | 'ffmpeg'
  /** The pure-JS mp3 encoder. */
  | 'lame'
  /** Magpie's WAV as it came. */
  | 'wav'
  /** The WAV's samples, resampled in JS to 24 kHz. */
  | 'pcm';

export interface SpeechPlan {
  format: SpeechFormat;
  encoder: Encoder;
  contentType: string;
  /** Whether `speed` is applied (only ffmpeg can); false also when speed is 1. */
  speedApplied: boolean;
}

export const isSpeechFormat = (f: unknown): f is SpeechFormat =>
  typeof f === 'string' && (SPEECH_FORMATS as readonly string[]).includes(f);

/**
 * How to produce `format`. ffmpeg is used for everything when present (one code path, OpenAI's
 * 24 kHz everywhere, `speed` applied); wav at normal speed is Magpie's own file either way.
 */
export function planSpeech(format: SpeechFormat, speed: number, hasFfmpeg: boolean): SpeechPlan {
  const contentType = CONTENT_TYPES[format];
  const changesSpeed = speed !== 1;
  if (format === 'wav' && !changesSpeed) return { format, encoder: 'wav', contentType, speedApplied: false };
  if (hasFfmpeg) return { format, encoder: 'ffmpeg', contentType, speedApplied: changesSpeed };
  if (format === 'mp3') return { format, encoder: 'lame', contentType, speedApplied: false };
  if (format === 'wav') return { format, encoder: 'wav', contentType, speedApplied: false };
  if (format === 'pcm') return { format, encoder: 'pcm', contentType, speedApplied: false };
  throw new AppError(
    'BAD_REQUEST',
    `response_format "${format}" needs ffmpeg, which this server does not have: ${INSTALL_FFMPEG}, ` +
      'or ask for "mp3", "wav" or "pcm", which work without it.',
  );
}
