// The speaker library's operations: enroll a voice from an audio sample (the dominant speaker of
// the diarize-chunk worker's answer) or from a past result's speaker ("this is Alice"), add more
// samples, rename, delete. Every check that needs no GPU (name, duplicate, unknown id) runs before
// the GPU is asked; the store's UNIQUE key settles racing enrollments of one name.
import type {
  DiarizeChunkResponse,
  EnrolledSpeaker,
  EnrollmentSample,
} from '../../../../common/audio-api.js';
import { AppError } from '../../../platform/http/errors.js';
import { dominantVoice, fingerprintProblem } from './fingerprint.js';
import { nameTaken, type SampleSource, type SpeakerStore } from './store.js';

/** What the library needs of the Parakeet client (PIPE's `ParakeetAudioClient`). */
export interface DiarizerClient {
  diarizeChunk(path: string, o?: { signal?: AbortSignal }): Promise<DiarizeChunkResponse>;
}

/** PIPE's `GpuSlots`: a slot now, or a 503 + Retry-After thrown when all are taken. */
export interface GpuSlotTaker {
  tryAcquire(): () => void;
}

/** PIPE's results store: the mean fingerprint of one speaker of a past result, null when unknown. */
export interface CentroidLookup {
  centroid(resultId: string, speaker: string): number[] | null;
}

/** PIPE's results store as the library's deletion uses it: a deleted voice leaves kept results. */
export interface ResultsForgetter {
  forgetSpeaker(id: string): number;
}

/** One sample to enroll from: a received audio file, or a speaker of a past result. */
export type SampleInput =
  | { kind: 'upload'; path: string; filename: string; signal?: AbortSignal }
  | { kind: 'result'; resultId: string; speaker: string };

export interface SpeakerLibraryDeps {
  store: SpeakerStore;
  client: DiarizerClient;
  gpu: GpuSlotTaker;
  results: CentroidLookup;
  /** Turns an upstream failure into what the client sees (PIPE's `toClientError`: 5xx → wedge path). */
  upstreamError: (err: unknown) => unknown;
}

interface Fingerprint {
  vector: number[];
  source: SampleSource;
  sample: EnrollmentSample;
}

export class SpeakerLibrary {
  constructor(private readonly d: SpeakerLibraryDeps) {}

  /** 409 before any GPU work when the name is already enrolled. */
  assertNameFree(name: string): void {
    if (this.d.store.byName(name)) throw nameTaken(name);
  }

  async enroll(name: string, input: SampleInput): Promise<EnrolledSpeaker> {
    this.assertNameFree(name);
    const fp = await this.fingerprint(input);
    return { ...this.d.store.create(name, fp.vector, fp.source), sample: fp.sample };
  }

  async addSample(id: string, input: SampleInput): Promise<EnrolledSpeaker> {
    this.d.store.require(id);
    const fp = await this.fingerprint(input);
    return { ...this.d.store.addSample(id, fp.vector, fp.source), sample: fp.sample };
  }

  private async fingerprint(input: SampleInput): Promise<Fingerprint> {
    return input.kind === 'upload' ? this.fromUpload(input) : this.fromResult(input.resultId, input.speaker);
  }

  private async fromUpload(input: Extract<SampleInput, { kind: 'upload' }>): Promise<Fingerprint> {
    const release = this.d.gpu.tryAcquire();
    let answer: DiarizeChunkResponse;
    try {
      answer = await this.d.client.diarizeChunk(input.path, { signal: input.signal });
    } catch (e) {
      // A client that went away is nobody's error: nothing is stored and nothing is logged as a fault.
      if (input.signal?.aborted)
        throw new AppError('BAD_REQUEST', 'The client closed the connection; the enrollment was abandoned.');
      throw this.d.upstreamError(e);
    } finally {
      release();
    }
    const outcome = dominantVoice(answer);
    if (!outcome.ok)
      throw new AppError('UNPROCESSABLE', outcome.message, { details: { reason: outcome.reason } });
    const { voice } = outcome;
    const sample: EnrollmentSample = { source: 'upload', speech_s: voice.speech_s, voices: voice.voices };
    if (voice.voices > 1)
      sample.note =
        `The sample holds ${voice.voices} voices; the one speaking most (${voice.speech_s} s) was enrolled. ` +
        'A sample of the speaker alone gives a cleaner fingerprint.';
    return {
      vector: voice.vector,
      source: { source: 'upload', detail: input.filename, speech_s: voice.speech_s },
      sample,
    };
  }

  private fromResult(resultId: string, speaker: string): Fingerprint {
    const vector = this.d.results.centroid(resultId, speaker);
    if (vector === null)
      throw new AppError(
        'NOT_FOUND',
        `No fingerprint for speaker "${speaker}" in result ${resultId}: the result is unknown or expired, ` +
          'or that speaker is not in it.',
      );
    const problem = fingerprintProblem(vector);
    if (problem)
      throw new AppError(
        'UNPROCESSABLE',
        `Speaker "${speaker}" of result ${resultId} cannot be enrolled: ${problem}.`,
      );
    return {
      vector,
      source: { source: 'result', detail: `${resultId}/${speaker}`, speech_s: null },
      sample: { source: 'result', speech_s: null, voices: null },
    };
  }
}
