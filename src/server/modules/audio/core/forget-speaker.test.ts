import { describe, expect, it } from 'vitest';
import type { SpeakerSegment, SpeakersTranscript } from '../../../../common/audio-api.js';
import { forgetSpeaker, type KeptResult } from './forget-speaker.js';

const seg = (speaker: string, text: string, speaker_id?: string): SpeakerSegment => ({
  start_ms: 0,
  end_ms: 1000,
  speaker,
  ...(speaker_id ? { speaker_id } : {}),
  text,
  confidence: 0.9,
});

const transcript = (segments: SpeakerSegment[]): SpeakersTranscript => ({
  duration: 10,
  language: 'en',
  speakers_detected: [...new Set(segments.map((s) => s.speaker))],
  segments,
  models: { transcription: 'asr', diarization: 'diar' },
  chunks: 1,
});

const result: KeptResult = {
  transcript: transcript([
    seg('Speaker_0', 'Shall we start?'),
    seg('Alice', 'Yes, the checkpoint is ready.', 'spk_a'),
    seg('Bob', 'Good.', 'spk_b'),
    seg('Speaker_2', 'Then let us load it.'),
    seg('Alice', 'After the demo.', 'spk_a'),
  ]),
  centroids: { Speaker_0: [1, 0], Alice: [0, 1], Bob: [1, 1], Speaker_2: [0, 2] },
};

describe('forgetSpeaker', () => {
  it('renames her blocks to the lowest free Speaker_N, drops her id and centroid, and keeps every word', () => {
    const out = forgetSpeaker(result, 'spk_a')!;
    expect(out.transcript.segments.map((s) => [s.speaker, s.speaker_id, s.text])).toEqual([
      ['Speaker_0', undefined, 'Shall we start?'],
      ['Speaker_1', undefined, 'Yes, the checkpoint is ready.'],
      ['Bob', 'spk_b', 'Good.'],
      ['Speaker_2', undefined, 'Then let us load it.'],
      ['Speaker_1', undefined, 'After the demo.'],
    ]);
    expect(out.transcript.segments.some((s) => 'speaker_id' in s && s.speaker_id === 'spk_a')).toBe(false);
    expect(out.transcript.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Bob', 'Speaker_2']);
    expect(out.centroids).toEqual({ Speaker_0: [1, 0], Bob: [1, 1], Speaker_2: [0, 2] });
    expect(JSON.stringify(out)).not.toMatch(/Alice|spk_a/);
    // The input is not changed: the store writes what this returns.
    expect(result.transcript.segments[1]!.speaker).toBe('Alice');
  });

  it('answers null for a result that never named the speaker', () => {
    expect(forgetSpeaker(result, 'spk_zzz')).toBeNull();
    // A block merely labelled like her, without her id, is not hers.
    expect(
      forgetSpeaker({ transcript: transcript([seg('Alice', 'Hi.')]), centroids: {} }, 'spk_a'),
    ).toBeNull();
  });
});
