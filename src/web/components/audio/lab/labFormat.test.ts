import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkCounts,
  downloadName,
  downloadUrl,
  formatOffset,
  isAnonymousSpeaker,
  PALETTE_SIZE,
  parseRetryAfter,
  plainAudioError,
  progressPercent,
  progressText,
  resultIdOf,
  speakerColorIndex,
  speakerDisplayName,
  timelineLanes,
} from './labFormat.js';

const seg = (speaker: string, start_ms: number, end_ms: number) => ({
  speaker,
  start_ms,
  end_ms,
  text: 'x',
  confidence: null,
});

describe('formatOffset', () => {
  it.each([
    [0, '00:00'],
    [7_900, '00:07'],
    [751_000, '12:31'],
    [3_599_999, '59:59'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d ms → %s', (ms, text) => expect(formatOffset(ms)).toBe(text));

  it('reads back as the whole seconds it was given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 3_600_000 }), (ms) => {
        const parts = formatOffset(ms).split(':').map(Number);
        const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
        expect(seconds).toBe(Math.floor(ms / 1000));
      }),
    );
  });
});

describe('speaker colours and names', () => {
  it('gives each speaker its place in order of first appearance, cycling past the palette', () => {
    const detected = Array.from({ length: 10 }, (_, i) => `Speaker_${i}`);
    expect(speakerColorIndex('Speaker_0', detected)).toBe(0);
    expect(speakerColorIndex('Speaker_2', detected)).toBe(2);
    expect(speakerColorIndex('Speaker_9', detected)).toBe(9 % PALETTE_SIZE);
    // A name that replaced Speaker_1 in the list keeps Speaker_1's colour.
    expect(speakerColorIndex('Alice', ['Speaker_0', 'Alice', 'Speaker_2'])).toBe(1);
  });
  it('tells made-up labels from enrolled names', () => {
    expect(isAnonymousSpeaker('Speaker_3')).toBe(true);
    expect(isAnonymousSpeaker('Speaker_')).toBe(false);
    expect(isAnonymousSpeaker('Alice')).toBe(false);
    expect(speakerDisplayName('Speaker_12')).toBe('Speaker 12');
    expect(speakerDisplayName('Speaker_Bob')).toBe('Speaker_Bob');
  });
});

describe('timelineLanes', () => {
  it('puts each speaker on one lane, joins touching blocks, positions in percent', () => {
    const lanes = timelineLanes({
      duration: 100,
      speakers_detected: ['Speaker_0', 'Alice'],
      segments: [
        seg('Speaker_0', 0, 10_000),
        seg('Speaker_0', 10_000, 20_000),
        seg('Alice', 20_000, 50_000),
        seg('Speaker_0', 60_000, 70_000),
      ],
    });
    expect(lanes.map((l) => l.speaker)).toEqual(['Speaker_0', 'Alice']);
    expect(lanes[0]!.turns.map((t) => [t.left, t.width])).toEqual([
      [0, 20],
      [60, 10],
    ]);
    expect(lanes[0]!.total_ms).toBe(30_000);
    expect(lanes[1]!.color).toBe(1);
    expect(lanes[1]!.turns).toEqual([{ start_ms: 20_000, end_ms: 50_000, left: 20, width: 30 }]);
  });
  it('keeps every bar inside the track even when segments run past the stated duration', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('Speaker_0', 'Speaker_1', 'Bob'), fc.nat(100_000), fc.nat(20_000)),
          {
            maxLength: 40,
          },
        ),
        fc.nat(120),
        (raw, duration) => {
          const segments = raw
            .map(([s, start, len]) => seg(s, start, start + len))
            .sort((a, b) => a.start_ms - b.start_ms);
          const lanes = timelineLanes({ duration, speakers_detected: [], segments });
          for (const lane of lanes)
            for (const t of lane.turns) {
              expect(t.left).toBeGreaterThanOrEqual(0);
              expect(t.width).toBeGreaterThanOrEqual(0);
              expect(t.left + t.width).toBeLessThanOrEqual(100 + 1e-9);
            }
          expect(new Set(lanes.map((l) => l.speaker))).toEqual(new Set(segments.map((s) => s.speaker)));
        },
      ),
    );
  });
});

describe('progress by chunk', () => {
  const job = (
    state: 'running' | 'succeeded' | 'failed',
    meta: Record<string, unknown>,
    progress: number | null = null,
    phase = 'transcribing',
  ) => ({ state, phase, meta, progress });
  it('says which chunk is being worked on, and how many were done at the end', () => {
    expect(progressText(job('running', { chunks_done: 2, chunks_total: 18 }))).toBe(
      'transcribing · chunk 3 of 18',
    );
    expect(progressText(job('running', { chunk: 17, chunks: 18 }))).toBe('transcribing · chunk 18 of 18');
    expect(progressText(job('running', { chunks: 18 }, 1))).toBe('transcribing · 18 of 18 chunks');
    expect(progressText(job('failed', { chunks_done: 5, chunks_total: 18 }))).toBe(
      'transcribing · 5 of 18 chunks',
    );
    expect(progressText(job('running', {}))).toBe('transcribing');
  });
  it('reads the chunk from the progress when the meta only has the total, and drops a phase that restates it', () => {
    expect(progressText(job('running', { chunks: 18 }, 2 / 18, '2/18 chunks done'))).toBe('chunk 3 of 18');
    expect(progressText(job('running', { chunks: 4 }, 0, '0/4 chunks done'))).toBe('chunk 1 of 4');
    expect(progressText(job('running', { chunks: 4 }, null, 'Preparing the audio'))).toBe(
      'Preparing the audio',
    );
    expect(progressText(job('succeeded', { chunks: 4 }, 1, '4/4 chunks done'))).toBe('4 of 4 chunks');
    expect(progressText(job('succeeded', { chunks: 1 }, 1, '1/1 chunks done'))).toBe('1 of 1 chunk');
  });
  it('ignores counts that are not numbers', () => {
    expect(chunkCounts({ meta: { chunks_done: '2', chunks_total: 18 }, progress: null })).toBeNull();
    expect(chunkCounts({ meta: { chunks_done: 2, chunks_total: 0 }, progress: 0.5 })).toBeNull();
    expect(chunkCounts({ meta: { chunks_done: 40, chunks_total: 18 }, progress: null })).toEqual({
      done: 18,
      total: 18,
    });
    expect(chunkCounts({ meta: { chunks: 18 }, progress: 0.5 })).toEqual({ done: 9, total: 18 });
  });
  it('fills the bar from progress first, then from chunks', () => {
    expect(progressPercent(job('running', { chunks_done: 9, chunks_total: 18 }, 0.25))).toBe(25);
    expect(progressPercent(job('running', { chunks_done: 9, chunks_total: 18 }))).toBe(50);
    expect(progressPercent(job('running', {}))).toBeNull();
    expect(progressPercent(job('succeeded', {}))).toBe(100);
  });
});

describe('result addresses', () => {
  it('finds the result id and builds download addresses', () => {
    expect(resultIdOf('/api/audio/results/abc-123')).toBe('abc-123');
    expect(resultIdOf('/api/audio/results/abc%20x?x=1')).toBe('abc x');
    expect(resultIdOf('')).toBeNull();
    expect(downloadUrl('/api/audio/results/a', 'srt')).toBe('/api/audio/results/a?response_format=srt');
    expect(downloadUrl('/api/audio/results/a?x=1', 'vtt')).toBe(
      '/api/audio/results/a?x=1&response_format=vtt',
    );
    expect(downloadName('standup.wav', 'srt')).toBe('standup.srt');
    expect(downloadName('notes.v2.m4a', 'text')).toBe('notes.v2.txt');
    expect(downloadName(null, 'vtt')).toBe('transcript.vtt');
  });
});

describe('errors in plain words', () => {
  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('60', now)).toBe(60);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
  it('explains 413, 415 and 503, keeping the server message as detail', () => {
    expect(plainAudioError(413, 'Upload over 500 MB', null)).toBe(
      'The file is larger than this server accepts. (Upload over 500 MB)',
    );
    expect(plainAudioError(415, '', null)).toMatch(/send WAV, or install ffmpeg .*apt install ffmpeg/);
    expect(plainAudioError(415, 'The upload is not audio this server can read.', null)).toBe(
      'This file cannot be read as audio here: The upload is not audio this server can read.',
    );
    expect(plainAudioError(503, 'GPU audio slots full', 7)).toBe(
      'The speech service is busy or recovering. Try again in 7 s. (GPU audio slots full)',
    );
    expect(plainAudioError(503, '', null)).toMatch(/Try again shortly/);
    expect(plainAudioError(400, 'min_speakers is more than max_speakers', null)).toBe(
      'min_speakers is more than max_speakers',
    );
    expect(plainAudioError(500, '', null)).toBe('Request failed (HTTP 500).');
  });
});
