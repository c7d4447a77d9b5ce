import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpeakersTranscript } from '../../../../common/audio-api.js';
import { renderTranscript, srtTime, vttTime } from './formats.js';

const transcript: SpeakersTranscript = {
  duration: 5,
  language: 'en',
  speakers_detected: ['Alice', 'Speaker_1'],
  segments: [
    {
      start_ms: 0,
      end_ms: 1500,
      speaker: 'Alice',
      speaker_id: 'spk_1',
      text: 'Hello there.',
      confidence: 0.9,
    },
    { start_ms: 2000, end_ms: 4250, speaker: 'Speaker_1', text: 'x < y & y --> z', confidence: null },
  ],
  models: { transcription: 'parakeet', diarization: 'sortformer' },
  chunks: 1,
};

describe('timestamps', () => {
  it.each([
    [0, '00:00:00,000', '00:00:00.000'],
    [1, '00:00:00,001', '00:00:00.001'],
    [61_234, '00:01:01,234', '00:01:01.234'],
    [3_599_999, '00:59:59,999', '00:59:59.999'],
    [5_400_000, '01:30:00,000', '01:30:00.000'],
    [360_000_000, '100:00:00,000', '100:00:00.000'],
    [1234.6, '00:00:01,235', '00:00:01.235'],
  ])('%d ms → %s / %s', (ms, srt, vtt) => {
    expect(srtTime(ms)).toBe(srt);
    expect(vttTime(ms)).toBe(vtt);
  });

  it('rejects negative and non-finite times', () => {
    expect(() => srtTime(-1)).toThrow(/finite and ≥ 0/);
    expect(() => vttTime(NaN)).toThrow(/finite and ≥ 0/);
  });

  it('round-trips any time in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 3_600_000 }), (ms) => {
        const m = /^(\d{2,}):(\d{2}):(\d{2}),(\d{3})$/.exec(srtTime(ms));
        expect(m).not.toBeNull();
        const [, h, mi, s, f] = m!.map(Number);
        expect(((h! * 60 + mi!) * 60 + s!) * 1000 + f!).toBe(ms);
        expect(vttTime(ms)).toBe(srtTime(ms).replace(',', '.'));
      }),
    );
  });
});

describe('renderTranscript', () => {
  it('json is the transcript itself', () => {
    const { body, contentType } = renderTranscript(transcript, 'json');
    expect(JSON.parse(body)).toEqual(transcript);
    expect(contentType).toMatch(/^application\/json/);
  });

  it('srt numbers the cues and prefixes the speaker', () => {
    const { body, contentType } = renderTranscript(transcript, 'srt');
    expect(body).toBe(
      '1\n00:00:00,000 --> 00:00:01,500\nAlice: Hello there.\n\n' +
        '2\n00:00:02,000 --> 00:00:04,250\nSpeaker_1: x < y & y --> z\n',
    );
    expect(contentType).toMatch(/^application\/x-subrip/);
  });

  it('vtt uses voice spans and escapes markup', () => {
    const { body, contentType } = renderTranscript(transcript, 'vtt');
    expect(body).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Alice>Hello there.\n\n' +
        '00:00:02.000 --> 00:00:04.250\n<v Speaker_1>x &lt; y &amp; y --&gt; z\n',
    );
    expect(contentType).toMatch(/^text\/vtt/);
  });

  it('text is one line per block', () => {
    expect(renderTranscript(transcript, 'text').body).toBe(
      'Alice: Hello there.\nSpeaker_1: x < y & y --> z\n',
    );
  });

  it('renders an empty transcript and keeps a zero-length cue visible', () => {
    const empty = { ...transcript, speakers_detected: [], segments: [] };
    expect(renderTranscript(empty, 'srt').body).toBe('');
    expect(renderTranscript(empty, 'vtt').body).toBe('WEBVTT\n');
    expect(renderTranscript(empty, 'text').body).toBe('');
    const point = {
      ...transcript,
      segments: [{ start_ms: 10, end_ms: 10, speaker: 'A', text: 'x', confidence: null }],
    };
    expect(renderTranscript(point, 'vtt').body).toContain('00:00:00.010 --> 00:00:00.011');
  });

  it('keeps a cue on one line whatever the text holds', () => {
    const odd = {
      ...transcript,
      segments: [{ start_ms: 0, end_ms: 1, speaker: 'A\nB', text: 'one\n\ntwo', confidence: null }],
    };
    expect(renderTranscript(odd, 'srt').body).toBe('1\n00:00:00,000 --> 00:00:00,001\nA B: one two\n');
  });
});
