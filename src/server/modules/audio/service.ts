// Diarized transcription of any length (SPEC §10). Short audio: one transcription with word times
// and one diarize-chunk call, in parallel, under one GPU slot. Long audio (over
// audio.long_audio_threshold_s): the chunked path of long-audio.ts. Nothing queues without bound:
// a synchronous request gets its GPU slot at once or a 503, and every run that may wait for slots
// (a synchronous long request, any job) is first admitted under audio.max_long_runs (long-runs.ts)
// or refused with a 503 as well. Either way the chunks' local
// speakers are clustered into global `Speaker_N` (core/stitch), words are merged into speaker
// blocks (core/merge), and global speakers whose voice matches an enrolled one take its name.
import type { SpeakerSegment, SpeakersTranscript } from '../../../common/audio-api.js';
import type { AppConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { planChunks, type ChunkSpan } from './core/chunk-plan.js';
import { AudioDataError } from './core/errors.js';
import { mergeWordsIntoBlocks } from './core/merge.js';
import { matchEnrolled, type EnrolledVoice } from './core/speaker-match.js';
import { stitchChunks } from './core/stitch.js';
import type { PreparedAudio } from './decode.js';
import type { GpuSlots } from './gpu-slots.js';
import { runLongAudio, type ChunkResult } from './long-audio.js';
import type { LongRuns } from './long-runs.js';
import { toClientError, type ParakeetAudioClient } from './parakeet-client.js';

export interface TranscribeInput {
  audio: PreparedAudio;
  language?: string;
  /** The request's bounds on the number of (fingerprinted) speakers, applied when clustering. */
  minSpeakers?: number;
  maxSpeakers?: number;
  /** Where chunk files go (the upload's temp dir). */
  workDir: string;
  signal: AbortSignal;
  /**
   * `try`: a synchronous request — short audio takes its GPU slot now or gets a 503; long audio is
   * admitted as a long run and takes its first chunk's slot now (or a 503), later chunks wait.
   * `wait`: a job already admitted (`admitJob`) — every chunk waits for its slot.
   */
  slot: 'try' | 'wait';
  /**
   * With `try`: the release of a long-run admission the caller already made (a compressed upload
   * whose headers state a long duration is admitted before it is decoded), used instead of a second
   * admission. The caller gives it back too; the release is once-only.
   */
  admitted?: () => void;
  onChunk?: (done: number, total: number, span: ChunkSpan) => void;
  onRetry?: (span: ChunkSpan, why: string) => void;
}

export interface TranscribeOutcome {
  transcript: SpeakersTranscript;
  /** Displayed speaker label → centroid fingerprint (for enrollment from a result). */
  centroids: Record<string, number[]>;
}

export interface AudioServiceDeps {
  client: ParakeetAudioClient;
  gpu: GpuSlots;
  /** Runs that may wait for GPU slots, admitted at once or refused (audio.max_long_runs). */
  runs: LongRuns;
  settings: () => AppConfig['audio'];
  /** The speaker library's voices (SPK); none when the library is empty or absent. */
  enrolledVoices: () => EnrolledVoice[];
}

export class AudioService {
  constructor(private readonly d: AudioServiceDeps) {}

  /** Whether this audio goes the chunked way (only a WAV can be cut; decode makes one). */
  isLong(audio: PreparedAudio): boolean {
    return audio.wav !== null && audio.durationS > this.d.settings().long_audio_threshold_s;
  }

  /** The chunk plan for long audio, one whole span for short audio. */
  plan(audio: PreparedAudio): ChunkSpan[] {
    const s = this.d.settings();
    if (this.isLong(audio))
      return planChunks(audio.durationS, { chunkS: s.chunk_s, overlapS: s.chunk_overlap_s });
    return [{ index: 0, start_s: 0, end_s: audio.durationS, keep_from_s: 0, keep_to_s: audio.durationS }];
  }

  /**
   * Admits an async job (of any length: its chunks wait for GPU slots) before its id is given out,
   * or a synchronous upload whose headers state a long duration before it is decoded: the release
   * for when the run ends, or 503 + Retry-After over audio.max_long_runs.
   */
  admitJob(): () => void {
    return this.d.runs.admit();
  }

  async transcribe(input: TranscribeInput): Promise<TranscribeOutcome> {
    const spans = this.plan(input.audio);
    let results: ChunkResult[];
    if (spans.length > 1 || this.isLong(input.audio)) {
      results = input.slot === 'try' ? await this.longRequest(input, spans) : await this.long(input, spans);
    } else {
      results = [await this.short(input, spans[0]!)];
      input.onChunk?.(1, 1, spans[0]!);
    }
    try {
      return this.assemble(input, results);
    } catch (err) {
      if (err instanceof AudioDataError)
        throw new AppError('UPSTREAM_ERROR', `The speech worker sent unusable data: ${err.message}`);
      throw err;
    }
  }

  /** A synchronous long request: admitted with its first chunk's GPU slot at once, or refused. */
  private async longRequest(input: TranscribeInput, spans: ChunkSpan[]): Promise<ChunkResult[]> {
    const leave = input.admitted ?? this.d.runs.admit();
    try {
      return await this.long(input, spans, this.d.gpu.tryAcquire());
    } finally {
      leave();
    }
  }

  private long(input: TranscribeInput, spans: ChunkSpan[], firstSlot?: () => void): Promise<ChunkResult[]> {
    return runLongAudio(this.d, {
      path: input.audio.path,
      wav: input.audio.wav!,
      spans,
      workDir: input.workDir,
      parallel: this.d.settings().parallel_chunks,
      language: input.language,
      signal: input.signal,
      firstSlot,
      onChunk: input.onChunk,
      onRetry: input.onRetry,
    });
  }

  private async short(input: TranscribeInput, span: ChunkSpan): Promise<ChunkResult> {
    const release = input.slot === 'try' ? this.d.gpu.tryAcquire() : await this.d.gpu.acquire(input.signal);
    try {
      const [words, dz] = await Promise.all([
        this.d.client.transcribeWords(input.audio.path, { language: input.language, signal: input.signal }),
        this.d.client.diarizeChunk(input.audio.path, { signal: input.signal }),
      ]);
      // A compressed file sent as is has only an estimated length: the worker's is better.
      const end = Math.max(
        input.audio.wav ? input.audio.durationS : dz.duration,
        ...words.words.map((w) => w.end),
        ...dz.segments.map((t) => t.end_s),
      );
      return {
        outcome: {
          span: { ...span, end_s: end, keep_to_s: end + 1 },
          words: words.words,
          turns: dz.segments.map((t) => ({
            start_s: t.start_s,
            end_s: t.end_s,
            speaker: t.speaker,
            confidence: t.confidence,
          })),
          fingerprints: dz.fingerprints,
        },
        language: words.language,
        models: { transcription: words.model, diarization: dz.models.diarization },
      };
    } catch (err) {
      if (input.signal.aborted) throw err;
      throw toClientError(err);
    } finally {
      release();
    }
  }

  private assemble(input: TranscribeInput, results: ChunkResult[]): TranscribeOutcome {
    const s = this.d.settings();
    const { audio } = input;
    const stitched = stitchChunks(
      results.map((r) => r.outcome),
      {
        distanceThreshold: s.cluster_distance_threshold,
        ...(input.minSpeakers !== undefined ? { minClusters: input.minSpeakers } : {}),
        ...(input.maxSpeakers !== undefined ? { maxClusters: input.maxSpeakers } : {}),
      },
    );
    const names = matchEnrolled(stitched.centroids, this.d.enrolledVoices(), s.speaker_match_threshold);
    const segments: SpeakerSegment[] = mergeWordsIntoBlocks(stitched.words, stitched.turns).map((seg) => {
      const who = names[seg.speaker];
      return who ? { ...seg, speaker: who.name, speaker_id: who.id } : seg;
    });
    const centroids: Record<string, number[]> = {};
    for (const [label, v] of Object.entries(stitched.centroids)) centroids[names[label]?.name ?? label] = v;
    const first = <T>(pick: (r: ChunkResult) => T | null): T | null =>
      results.map(pick).find((v) => v !== null && v !== undefined) ?? null;
    const lastEnd = results.at(-1)?.outcome.span.end_s ?? 0;
    return {
      transcript: {
        duration: Math.round((audio.wav ? audio.durationS : lastEnd) * 1000) / 1000,
        language: first((r) => r.language),
        speakers_detected: [...new Set(segments.map((x) => x.speaker))],
        segments,
        models: {
          transcription: first((r) => r.models.transcription),
          diarization: first((r) => r.models.diarization),
        },
        chunks: results.length,
      },
      centroids,
    };
  }
}
