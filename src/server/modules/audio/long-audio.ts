// The long path (SPEC §10): a WAV cut into overlapping chunks on disk, each chunk transcribed and
// diarized (in parallel) while holding a GPU slot, a few chunks at once. A synchronous request
// brings the slot it was admitted with (taken at once, or refused) for its first chunk; every other
// chunk waits for its own through the same cap, as a job's do. A chunk that fails is
// tried once more; failing again ends the whole request naming the chunk and why — the other
// chunks are stopped, and no partial transcript is ever presented as whole. Each chunk file is
// deleted as soon as it is done; the work dir goes with the upload's temp dir.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isAppError } from '../../platform/http/errors.js';
import type { ChunkSpan } from './core/chunk-plan.js';
import type { ChunkOutcome } from './core/stitch.js';
import type { GpuSlots } from './gpu-slots.js';
import { ParakeetError, toClientError, type ParakeetAudioClient } from './parakeet-client.js';
import { cutWav, type WavLayout } from './wav-file.js';

export interface ChunkResult {
  outcome: ChunkOutcome;
  language: string | null;
  models: { transcription: string | null; diarization: string | null };
}

export interface LongAudioDeps {
  client: ParakeetAudioClient;
  gpu: GpuSlots;
}

export interface LongAudioRun {
  path: string;
  wav: WavLayout;
  spans: ChunkSpan[];
  workDir: string;
  parallel: number;
  language?: string;
  signal: AbortSignal;
  /** A GPU slot already held (a synchronous request's, taken at admission) for the first chunk. */
  firstSlot?: () => void;
  /** A chunk finished (`done` of `total`). */
  onChunk?: (done: number, total: number, span: ChunkSpan) => void;
  /** A chunk failed its first try and is tried again. */
  onRetry?: (span: ChunkSpan, why: string) => void;
}

const clock = (s: number) => {
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = String(Math.floor(t / 60) % 60).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${m}:${String(t % 60).padStart(2, '0')}`;
};

/** What went wrong, in words a client may see (upstream 5xx text stays in the log). */
export function reasonOf(err: unknown): string {
  if (err instanceof ParakeetError) {
    if (err.status === null) return 'parakeet unreachable';
    return err.status >= 500 ? err.message : `${err.message}: ${err.text.slice(0, 200)}`;
  }
  if (isAppError(err)) return err.message;
  return err instanceof Error ? err.message.slice(0, 200) : String(err);
}

type SlotTaker = () => Promise<() => void>;

/** One chunk, start to end: slot, cut, transcribe + diarize in parallel, delete the cut. */
async function runChunk(
  d: LongAudioDeps,
  r: LongAudioRun,
  span: ChunkSpan,
  signal: AbortSignal,
  slot: SlotTaker,
) {
  const release = await slot();
  const file = join(r.workDir, `chunk-${span.index}.wav`);
  try {
    await cutWav(r.path, r.wav, { startS: span.start_s, endS: span.end_s }, file, signal);
    const [words, dz] = await Promise.all([
      d.client.transcribeWords(file, { language: r.language, signal }),
      d.client.diarizeChunk(file, { signal }),
    ]);
    return {
      outcome: {
        span,
        words: words.words,
        turns: dz.segments.map((s) => ({
          start_s: s.start_s,
          end_s: s.end_s,
          speaker: s.speaker,
          confidence: s.confidence,
        })),
        fingerprints: dz.fingerprints,
      },
      language: words.language,
      models: { transcription: words.model, diarization: dz.models.diarization },
    } satisfies ChunkResult;
  } finally {
    release();
    await rm(file, { force: true });
  }
}

/** Every chunk's result in chunk order, or the first chunk's second failure (the rest stopped). */
export async function runLongAudio(d: LongAudioDeps, r: LongAudioRun): Promise<ChunkResult[]> {
  const stop = new AbortController();
  const signal = AbortSignal.any([r.signal, stop.signal]);
  const results: ChunkResult[] = new Array<ChunkResult>(r.spans.length);
  const total = r.spans.length;
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  // The held slot goes to the first chunk started (the first span, its first try); any later try
  // waits like every other chunk.
  let held = r.firstSlot ?? null;
  const slot: SlotTaker = async () => {
    if (!held) return d.gpu.acquire(signal);
    const h = held;
    held = null;
    return h;
  };

  const attempt = async (span: ChunkSpan): Promise<ChunkResult> => {
    try {
      return await runChunk(d, r, span, signal, slot);
    } catch (first) {
      if (signal.aborted) throw first;
      r.onRetry?.(span, reasonOf(first));
      try {
        return await runChunk(d, r, span, signal, slot);
      } catch (second) {
        if (signal.aborted) throw second;
        throw chunkFailed(span, total, second);
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < total) {
      const span = r.spans[next++]!;
      try {
        results[span.index] = await attempt(span);
      } catch (err) {
        failure ??= err;
        stop.abort(err);
        return;
      }
      r.onChunk?.(++done, total, span);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(r.parallel, total)) }, worker));
  } finally {
    held?.(); // never used: an aborted run or no chunks
  }
  if (r.signal.aborted) throw r.signal.reason as Error;
  if (failure) throw failure;
  return results;
}

/** The request's error for a chunk that failed twice: the status the failure has, the chunk named. */
function chunkFailed(span: ChunkSpan, total: number, err: unknown): AppError {
  const base = toClientError(err, 'Speech recognition');
  const where = `chunk ${span.index + 1} of ${total} (${clock(span.start_s)}–${clock(span.end_s)})`;
  const message = `The transcription failed: ${where} failed twice (${reasonOf(err)}); no partial result is returned.`;
  if (isAppError(base)) return new AppError(base.code, message, { headers: base.headers, cause: err });
  return new AppError('UPSTREAM_ERROR', message, { cause: err });
}
