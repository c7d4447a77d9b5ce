import { afterEach, describe, expect, it } from 'vitest';
import type { SpeakersTranscript } from '../../../common/audio-api.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { AudioResultsStore } from './results-store.js';

afterEach(closeTempStores);

const transcript: SpeakersTranscript = {
  duration: 12.5,
  language: 'en',
  speakers_detected: ['Alice', 'Speaker_1'],
  segments: [
    { start_ms: 0, end_ms: 900, speaker: 'Alice', speaker_id: 'sp1', text: 'Hello.', confidence: 0.9 },
  ],
  models: { transcription: 'asr', diarization: 'diar' },
  chunks: 1,
};

describe('AudioResultsStore', () => {
  it('keeps a result and its centroids until the retention ends, then neither is served and the sweep deletes it', () => {
    let now = 1_000_000;
    const store = new AudioResultsStore(trackedTempDb(), { retentionMs: 60_000, now: () => now });
    store.saveSucceeded('job-1', transcript, { Alice: [1, 0], Speaker_1: [0, 1] });
    expect(store.get('job-1')).toEqual({ status: 'succeeded', transcript, createdAt: 1_000_000 });
    expect(store.centroid('job-1', 'Speaker_1')).toEqual([0, 1]);
    expect(store.centroid('job-1', 'Speaker_9')).toBeNull();
    expect(store.centroid('job-1', '__proto__')).toBeNull();
    now += 60_000;
    expect(store.get('job-1')).toBeNull();
    expect(store.centroid('job-1', 'Alice')).toBeNull();
    expect(store.sweep()).toBe(1);
  });

  it('keeps a failure with its code and message, and never a centroid for it', () => {
    const store = new AudioResultsStore(trackedTempDb(), { retentionMs: 60_000 });
    store.saveFailed('job-2', 'SERVICE_UNAVAILABLE', 'chunk 2 of 3 failed twice');
    expect(store.get('job-2')).toMatchObject({
      status: 'failed',
      error: { code: 'SERVICE_UNAVAILABLE', message: 'chunk 2 of 3 failed twice' },
    });
    expect(store.centroid('job-2', 'Speaker_0')).toBeNull();
    expect(store.get('unknown')).toBeNull();
  });

  it('forgets a deleted speaker in every kept result that named her, and only there', () => {
    const store = new AudioResultsStore(trackedTempDb(), { retentionMs: 60_000 });
    store.saveSucceeded('job-a', transcript, { Alice: [1, 0], Speaker_1: [0, 1] });
    const other: SpeakersTranscript = {
      ...transcript,
      speakers_detected: ['Speaker_0'],
      segments: [{ start_ms: 0, end_ms: 500, speaker: 'Speaker_0', text: 'Hi.', confidence: null }],
    };
    store.saveSucceeded('job-b', other, { Speaker_0: [1, 1] });
    store.saveFailed('job-c', 'UPSTREAM_ERROR', 'sp1 failed');

    expect(store.forgetSpeaker('sp1')).toBe(1);
    const got = store.get('job-a');
    if (got?.status !== 'succeeded') throw new Error('job-a is gone');
    expect(got.transcript.segments[0]).toEqual({
      start_ms: 0,
      end_ms: 900,
      speaker: 'Speaker_0',
      text: 'Hello.',
      confidence: 0.9,
    });
    expect(got.transcript.speakers_detected).toEqual(['Speaker_0', 'Speaker_1']);
    expect(store.centroid('job-a', 'Alice')).toBeNull();
    expect(store.centroid('job-a', 'Speaker_0')).toBeNull(); // her voiceprint is not kept under a new label
    expect(store.centroid('job-a', 'Speaker_1')).toEqual([0, 1]);
    expect(store.get('job-b')).toMatchObject({ status: 'succeeded', transcript: other });
    expect(store.forgetSpeaker('sp1')).toBe(0);
  });
});
