import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../test/helpers/unit.js';
import { nimErrorText, nimLanguage, shapeNimAnswer, transcriptionFormat } from './nim-transcription.js';

const o = { language: 'en-US', granularities: [] as string[], what: 'the test NIM' };
const words = [
  { word: 'Hello', start: 0, end: 0.4 },
  { word: 'there.', start: 0.45, end: 0.9 },
  { word: 'Next', start: 2.0, end: 2.3 },
  { word: 'one', start: 2.35, end: 2.6 },
];

describe('nimLanguage', () => {
  it.each([
    [undefined, 'en-US'],
    ['', 'en-US'],
    ['en', 'en-US'],
    ['DE', 'de-DE'],
    ['en-gb', 'en-GB'],
    ['es-419', 'es-419'],
    ['multi', 'multi'],
  ])('%j → %s', (input, out) => {
    expect(nimLanguage(input)).toBe(out);
  });
  it.each(['xx', 'english', 'en_US;rm', 'e'])('refuses %j with a 400 on param language', (input) => {
    const e = caughtAppError(() => nimLanguage(input));
    expect(e.status).toBe(400);
    expect(e.details).toEqual({ param: 'language' });
  });
});

describe('transcriptionFormat', () => {
  it('defaults to json and refuses unknown formats', () => {
    expect(transcriptionFormat(undefined)).toBe('json');
    expect(transcriptionFormat('vtt')).toBe('vtt');
    expect(caughtAppError(() => transcriptionFormat('mp3')).message).toContain(
      'response_format must be one of',
    );
  });
});

describe('shapeNimAnswer', () => {
  it('answers json and text from the NIM text', () => {
    expect(shapeNimAnswer('json', { text: 'hi' }, o)).toEqual({ kind: 'json', body: { text: 'hi' } });
    expect(shapeNimAnswer('text', { text: 'hi' }, o)).toMatchObject({ kind: 'text', text: 'hi' });
    expect(shapeNimAnswer('json', 'garbage', o)).toEqual({ kind: 'json', body: { text: '' } });
  });

  it.each(['verbose_json', 'srt', 'vtt'] as const)('refuses %s when the NIM returned no timestamps', (f) => {
    const e = caughtAppError(() => shapeNimAnswer(f, { text: 'hi' }, o));
    expect(e.status).toBe(400);
    expect(e.message).toContain('the test NIM returns none over HTTP');
  });

  it('derives verbose_json with words and sentence segments from word timestamps', () => {
    const r = shapeNimAnswer('verbose_json', { text: 'Hello there. Next one', words }, o);
    expect(r.kind).toBe('json');
    const body = (r as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({ task: 'transcribe', language: 'english', duration: 2.6 });
    expect(body.words).toEqual(words);
    expect(
      (body.segments as { start: number; end: number; text: string }[]).map((s) => [s.start, s.end, s.text]),
    ).toEqual([
      [0, 0.9, ' Hello there.'],
      [2.0, 2.6, ' Next one'],
    ]);
  });

  it('keeps only what timestamp_granularities[] asks for, and refuses word granularity without words', () => {
    const segs = { text: 'a b', segments: [{ start: 0, end: 1.25, text: ' a b' }] };
    const r = shapeNimAnswer('verbose_json', segs, { ...o, granularities: ['segment'] }) as {
      body: Record<string, unknown>;
    };
    expect(r.body.words).toBeUndefined();
    expect(r.body.segments).toHaveLength(1);
    expect(
      caughtAppError(() => shapeNimAnswer('verbose_json', segs, { ...o, granularities: ['word'] })).details,
    ).toEqual({
      param: 'timestamp_granularities[]',
    });
  });

  it('writes srt and vtt cues from segments', () => {
    const segs = {
      text: 'a b',
      segments: [
        { start: 0, end: 1.25, text: ' a b' },
        { start: 61.5, end: 3725.007, text: 'c' },
      ],
    };
    expect((shapeNimAnswer('srt', segs, o) as { text: string }).text).toBe(
      '1\n00:00:00,000 --> 00:00:01,250\na b\n\n2\n00:01:01,500 --> 01:02:05,007\nc\n',
    );
    expect((shapeNimAnswer('vtt', segs, o) as { text: string }).text).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.250\na b\n\n00:01:01.500 --> 01:02:05.007\nc\n',
    );
  });
});

describe('nimErrorText', () => {
  it('reads error, detail or message, else the raw body', () => {
    expect(nimErrorText(Buffer.from('{"error":"language required"}'))).toBe('language required');
    expect(nimErrorText(Buffer.from('{"detail":"bad"}'))).toBe('bad');
    expect(nimErrorText(Buffer.from('{"error":{"message":"nested"}}'))).toBe('nested');
    expect(nimErrorText(Buffer.from('plain text'))).toBe('plain text');
    expect(nimErrorText(Buffer.from(''))).toBe('no details');
  });
});
