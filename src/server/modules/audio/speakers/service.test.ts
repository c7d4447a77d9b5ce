import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiarizeChunkResponse } from '../../../../common/audio-api.js';
import { closeTempStores, refusal, trackedTempDb } from '../../../../../test/helpers/unit.js';
import { AppError } from '../../../platform/http/errors.js';
import { SpeakerLibrary, type SampleInput } from './service.js';
import { SpeakerStore } from './store.js';

const vec = (seed: number) => Array.from({ length: 192 }, (_, i) => Math.sin(seed + i * 0.37) + 0.02 * seed);
const answer = (
  turns: [string, number, number][],
  fingerprints: Record<string, number[]>,
): DiarizeChunkResponse => ({
  duration: 20,
  segments: turns.map(([speaker, start_s, end_s]) => ({ speaker, start_s, end_s, confidence: 0.8 })),
  speakers_detected: [...new Set(turns.map((t) => t[0]))],
  fingerprints,
  models: { diarization: 'sortformer', embedding: 'titanet' },
});
const file = (name = 'alice.wav'): SampleInput => ({
  kind: 'upload',
  path: `/tmp/none/${name}`,
  filename: name,
});

describe('SpeakerLibrary', () => {
  let store: SpeakerStore;
  let diarized: (path: string) => Promise<DiarizeChunkResponse>;
  let calls: string[];
  let held: number;
  let full: boolean;
  let centroids: Record<string, number[] | null>;
  let lib: SpeakerLibrary;

  beforeEach(() => {
    store = new SpeakerStore(trackedTempDb('sc-spk-'));
    calls = [];
    held = 0;
    full = false;
    centroids = {};
    diarized = async () => answer([['Speaker_0', 0, 12]], { Speaker_0: vec(1) });
    lib = new SpeakerLibrary({
      store,
      client: {
        diarizeChunk: async (path) => {
          calls.push(path);
          return diarized(path);
        },
      },
      gpu: {
        tryAcquire: () => {
          if (full) throw new AppError('SERVICE_UNAVAILABLE', 'busy', { headers: { 'retry-after': '10' } });
          held++;
          return () => held--;
        },
      },
      results: { centroid: (id, speaker) => centroids[`${id}/${speaker}`] ?? null },
      upstreamError: (e) => new AppError('SERVICE_UNAVAILABLE', `wedge: ${(e as Error).message}`),
    });
  });
  afterEach(closeTempStores);

  it('enrolls the voice that speaks most and says so when the sample had several', async () => {
    diarized = async () =>
      answer(
        [
          ['Speaker_0', 0, 3],
          ['Speaker_1', 3, 14],
          ['Speaker_0', 14, 16],
        ],
        { Speaker_0: vec(0), Speaker_1: vec(1) },
      );
    const alice = await lib.enroll('Alice', file());
    expect(alice).toMatchObject({
      name: 'Alice',
      samples: 1,
      sample: { source: 'upload', speech_s: 11, voices: 2 },
    });
    expect(alice.sample?.note).toMatch(/2 voices; the one speaking most \(11 s\)/);
    expect(JSON.stringify(alice)).not.toMatch(/\d\.\d{6}/);
    const [voice] = store.voices();
    const n = Math.hypot(...vec(1));
    voice!.vector.forEach((x, i) => expect(x).toBeCloseTo(vec(1)[i]! / n, 12));
    expect(held).toBe(0);
  });

  it('gives no note for a one-voice sample', async () => {
    const alice = await lib.enroll('Alice', file());
    expect(alice.sample).toEqual({ source: 'upload', speech_s: 12, voices: 1 });
  });

  it('refuses a duplicate name before asking the GPU', async () => {
    await lib.enroll('Alice', file());
    const e = await refusal(lib.enroll('alice', file('b.wav')));
    expect(e.status).toBe(409);
    expect(calls).toHaveLength(1);
  });

  it('answers 422 for a sample with no speech, storing nothing and releasing the slot', async () => {
    diarized = async () => answer([], {});
    const e = await refusal(lib.enroll('Alice', file()));
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/No speech was found/);
    expect(store.list()).toEqual([]);
    expect(held).toBe(0);
  });

  it('passes the GPU cap refusal on without calling the diarizer', async () => {
    full = true;
    const e = await refusal(lib.enroll('Alice', file()));
    expect([e.status, e.headers]).toEqual([503, { 'retry-after': '10' }]);
    expect(calls).toEqual([]);
  });

  it('maps an upstream failure through the wedge path and releases the slot', async () => {
    diarized = async () => {
      throw new Error('parakeet diarize-chunk answered HTTP 500');
    };
    const e = await refusal(lib.enroll('Alice', file()));
    expect(e.message).toBe('wedge: parakeet diarize-chunk answered HTTP 500');
    expect(held).toBe(0);
    expect(store.list()).toEqual([]);
  });

  it('abandons an enrollment whose client went away, storing nothing', async () => {
    const gone = new AbortController();
    diarized = async () => {
      gone.abort(new Error('client closed'));
      throw new Error('This operation was aborted');
    };
    const e = await refusal(lib.enroll('Alice', { ...file(), signal: gone.signal } as SampleInput));
    expect([e.status, e.message]).toEqual([400, expect.stringMatching(/client closed the connection/)]);
    expect(store.list()).toEqual([]);
    expect(held).toBe(0);
  });

  it('lets exactly one of two racing enrollments of one name win', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    diarized = async () => {
      await gate;
      return answer([['Speaker_0', 0, 12]], { Speaker_0: vec(1) });
    };
    const both = Promise.allSettled([lib.enroll('Alice', file('a.wav')), lib.enroll('ALICE', file('b.wav'))]);
    open();
    const [a, b] = await both;
    const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? 201 : (r.reason as AppError).status));
    expect(outcomes.sort()).toEqual([201, 409]);
    expect(store.list()).toHaveLength(1);
    expect(held).toBe(0);
  });

  it('enrolls from a past result and adds samples, 404 for an unknown result or speaker', async () => {
    centroids['job1/Speaker_2'] = vec(4);
    centroids['job1/Speaker_3'] = [1, 2, 3];
    const bob = await lib.enroll('Bob', { kind: 'result', resultId: 'job1', speaker: 'Speaker_2' });
    expect(bob.sample).toEqual({ source: 'result', speech_s: null, voices: null });
    const e404 = await refusal(
      lib.enroll('Carol', { kind: 'result', resultId: 'job1', speaker: 'Speaker_9' }),
    );
    expect([e404.status, e404.message]).toEqual([404, expect.stringMatching(/Speaker_9.*job1/)]);
    const e422 = await refusal(
      lib.addSample(bob.id, { kind: 'result', resultId: 'job1', speaker: 'Speaker_3' }),
    );
    expect([e422.status, e422.message]).toEqual([422, expect.stringMatching(/3 values where 192/)]);
    const more = await lib.addSample(bob.id, file('bob2.wav'));
    expect(more.samples).toBe(2);
    expect(calls).toEqual(['/tmp/none/bob2.wav']);
  });

  it('refuses a sample for an unknown speaker before asking the GPU', async () => {
    const e = await refusal(lib.addSample('spk_0123456789abcdef', file()));
    expect(e.status).toBe(404);
    expect(calls).toEqual([]);
  });
});
