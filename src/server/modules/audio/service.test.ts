// The admission rules of the pipeline (issue 11 item 6): nothing queues without bound. A fake
// Parakeet client stands in for the worker; the WAVs, chunk files, GPU cap and long-run bound are
// the real ones.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiarizeChunkResponse } from '../../../common/audio-api.js';
import type { AppConfig } from '../../config/types.js';
import { refusal } from '../../../../test/helpers/unit.js';
import { pcm16Wav } from '../../../sim/wav.js';
import type { PreparedAudio } from './decode.js';
import { GpuSlots } from './gpu-slots.js';
import { LongRuns } from './long-runs.js';
import type { ParakeetAudioClient, WordsTranscript } from './parakeet-client.js';
import { AudioService, type TranscribeInput } from './service.js';
import { probeWav } from './wav-file.js';

const SETTINGS: AppConfig['audio'] = {
  long_audio_threshold_s: 5,
  chunk_s: 6,
  chunk_overlap_s: 1,
  parallel_chunks: 2,
  gpu_concurrency: 1,
  max_long_runs: 1,
  cluster_distance_threshold: 0.7,
  speaker_match_threshold: 0.75,
  max_upload_mb: 10,
  result_retention_h: 1,
};
const VOICE = Array.from({ length: 192 }, (_, i) => Math.sin(i * 0.37) + 0.1);

let dir: string;
let longWav: PreparedAudio;
let shortWav: PreparedAudio;

async function wavOf(name: string, seconds: number): Promise<PreparedAudio> {
  const path = join(dir, name);
  writeFileSync(path, pcm16Wav(new Int16Array(8000 * seconds).fill(500), 8000));
  const wav = await probeWav(path);
  if (!wav || typeof wav === 'string') throw new Error(`not a WAV: ${String(wav)}`);
  return { path, wav, durationS: wav.duration, container: 'wav' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sc-audio-svc-'));
  longWav = await wavOf('long.wav', 16);
  shortWav = await wavOf('short.wav', 3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pipeline with a fake worker that notes the GPU and long-run counts each call saw. */
function setup() {
  // No yield window after a refusal (gpu-slots.test.ts covers it): chunks here never pause for it.
  const gpu = new GpuSlots({ capacity: 1, yieldMs: 0 });
  const runs = new LongRuns({ limit: SETTINGS.max_long_runs });
  const seen: { inFlight: number; admitted: number }[] = [];
  const note = () => seen.push({ inFlight: gpu.inFlight, admitted: runs.admitted });
  const client: ParakeetAudioClient = {
    async transcribeWords(): Promise<WordsTranscript> {
      note();
      return { text: 'hello', language: 'en', words: [{ word: 'hello', start: 1, end: 1.5 }], model: 'asr' };
    },
    async diarizeChunk(): Promise<DiarizeChunkResponse> {
      note();
      return {
        duration: 6,
        segments: [{ start_s: 0.5, end_s: 2, speaker: 'Speaker_0', confidence: 0.9 }],
        speakers_detected: ['Speaker_0'],
        fingerprints: { Speaker_0: VOICE },
        models: { diarization: 'sortformer', embedding: 'titanet' },
      };
    },
    relayDiarizeChunk: () => Promise.reject(new Error('not used')),
    close: async () => {},
  };
  const service = new AudioService({ client, gpu, runs, settings: () => SETTINGS, enrolledVoices: () => [] });
  const input = (audio: PreparedAudio, o: Partial<TranscribeInput> = {}): TranscribeInput => ({
    audio,
    workDir: dir,
    signal: new AbortController().signal,
    slot: 'try',
    ...o,
  });
  return { gpu, runs, seen, service, input };
}

describe('AudioService admission', () => {
  it('gives a synchronous long request its first chunk slot at admission; the other chunks wait for theirs', async () => {
    const { gpu, runs, seen, service, input } = setup();
    // With one slot, a first chunk that waited for a slot of its own behind the one it holds would
    // never start: the request would hang instead of finishing.
    const { transcript } = await service.transcribe(input(longWav));
    expect(transcript.chunks).toBe(service.plan(longWav).length);
    expect(transcript.chunks).toBeGreaterThan(2);
    expect(seen).toHaveLength(2 * transcript.chunks!);
    expect(seen.every((s) => s.inFlight === 1 && s.admitted === 1)).toBe(true);
    expect([gpu.inFlight, gpu.waiting, runs.admitted]).toEqual([0, 0, 0]);
  });

  it('refuses a synchronous long request at once when no GPU slot is free, giving its place back', async () => {
    const { gpu, runs, seen, service, input } = setup();
    const busy = gpu.tryAcquire();
    const err = await refusal(service.transcribe(input(longWav)));
    expect(err.status).toBe(503);
    expect(err.headers?.['retry-after']).toBeDefined();
    expect(err.message).toMatch(/audio\.gpu_concurrency/);
    expect([gpu.waiting, runs.admitted, seen.length]).toEqual([0, 0, 0]);
    busy();
    expect((await service.transcribe(input(longWav))).transcript.chunks).toBeGreaterThan(2);
  });

  it('refuses a synchronous long request over audio.max_long_runs before it takes a GPU slot', async () => {
    const { gpu, runs, seen, service, input } = setup();
    const job = service.admitJob();
    const err = await refusal(service.transcribe(input(longWav)));
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/audio\.max_long_runs\) is 1/);
    expect([gpu.inFlight, runs.admitted, seen.length]).toEqual([0, 1, 0]);
    // A short request never waits, so the bound does not apply to it.
    expect((await service.transcribe(input(shortWav))).transcript.chunks).toBe(1);
    job();
  });

  it('runs a synchronous long request admitted before decoding on that place, not a second one', async () => {
    const { runs, seen, service, input } = setup();
    const admitted = service.admitJob(); // the route's admission (limit 1): a second would be a 503
    const { transcript } = await service.transcribe(input(longWav, { admitted }));
    expect(transcript.chunks).toBeGreaterThan(2);
    expect(seen.every((s) => s.admitted === 1)).toBe(true);
    expect(runs.admitted).toBe(0);
    admitted(); // the route gives it back as well: once-only, nothing is returned twice
    expect(runs.admitted).toBe(0);
    service.admitJob()(); // the place is free again
  });

  it('refuses a second job over the bound; an admitted job runs its chunks without a second place', async () => {
    const { runs, seen, service, input } = setup();
    const job = service.admitJob();
    expect(() => service.admitJob()).toThrow(/audio\.max_long_runs/);
    const { transcript } = await service.transcribe(input(longWav, { slot: 'wait' }));
    expect(transcript.chunks).toBeGreaterThan(2);
    expect(seen.every((s) => s.admitted === 1)).toBe(true);
    job();
    expect(runs.admitted).toBe(0);
  });

  it('gives the first chunk slot back when the request is gone before any chunk started', async () => {
    const { gpu, runs, seen, service, input } = setup();
    const ac = new AbortController();
    ac.abort(new Error('the client went away'));
    await expect(service.transcribe(input(longWav, { signal: ac.signal }))).rejects.toThrow(/went away/);
    expect([gpu.inFlight, runs.admitted, seen.length]).toEqual([0, 0, 0]);
  });
});
