// The overlay's diarizer routes on the fake Parakeet (overlays/parakeet/diarize_routes.py):
// POST /v1/audio/diarize and /v1/audio/diarize-chunk, multipart `file`, answered from the audio
// itself (hear.ts → diarize.ts) in the overlay's shapes (diarize_core.diarize_response and
// chunk_response). Errors as FastAPI raises them there: 400 for audio that cannot be read, 500
// "Diarization failed: …" (with the CUBLAS text under the wedge fault).
import type { DiarizeChunkResponse, DiarizeResponse } from '../../common/audio-api.js';
import { sleep } from '../fsutil.js';
import type { FormPart } from '../multipart.js';
import { estimateCompressed, parseWav } from '../wav.js';
import { diarizeHeard } from './diarize.js';
import { audioSeed, hearWav } from './hear.js';
import type { HeardAudio } from './meeting-decode.js';
import { CUBLAS_ERROR, PARAKEET_MODELS } from './parakeet-facts.js';

export interface DiarizeDeps {
  speed: number;
  wedged(): boolean;
  log(lines: string[]): void;
}

type Reply = { status: number; body: unknown };

const detail = (status: number, message: string): Reply => ({ status, body: { detail: message } });
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function diarizeUpload(d: DiarizeDeps, file: FormPart, chunk: boolean): Promise<Reply> {
  const name = file.filename ?? 'file';
  if (file.data.length === 0) return detail(400, 'empty audio file');
  const wav = parseWav(file.data);
  const compressed = typeof wav === 'string' ? estimateCompressed(file.data) : null;
  if (typeof wav === 'string' && !compressed) {
    const riff = file.data.toString('latin1', 0, 4) === 'RIFF';
    // A RIFF file soundfile cannot open, or bytes ffmpeg does not know (audio_input.py's message).
    const why = riff ? wav : `${name}: Invalid data found when processing input`;
    return detail(400, `Could not read audio file '${name}': ${why}`);
  }
  const duration = typeof wav === 'string' ? (compressed?.duration ?? 0) : wav.duration;
  await sleep((80 + duration * 15) * d.speed);
  if (d.wedged()) {
    d.log([`ERROR:diarize_routes:diarization failed`, `RuntimeError: ${CUBLAS_ERROR}`]);
    return detail(500, `Diarization failed: RuntimeError: ${CUBLAS_ERROR}`);
  }
  // Compressed uploads would be decoded by ffmpeg in the container; the sim cannot, so it hears
  // one voice for their whole (estimated) length.
  const heard: HeardAudio =
    typeof wav === 'string'
      ? {
          duration_s: duration,
          sample_rate: 16_000,
          words: [],
          active: [{ start_s: 0, end_s: r3(duration) }],
          pitch_hz: null,
        }
      : await hearWav(wav);
  const seed = audioSeed(typeof wav === 'string' ? file.data : wav.data);
  const { segments, speakers_detected, fingerprints } = diarizeHeard(heard, seed);
  const base: DiarizeResponse = {
    duration: r3(duration),
    segments,
    speakers_detected,
    models: { diarization: PARAKEET_MODELS.diarization },
  };
  if (!chunk) return { status: 200, body: base };
  const body: DiarizeChunkResponse = {
    ...base,
    models: { diarization: PARAKEET_MODELS.diarization, embedding: PARAKEET_MODELS.embedding },
    fingerprints,
  };
  return { status: 200, body };
}
