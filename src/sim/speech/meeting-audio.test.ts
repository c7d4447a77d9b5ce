import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWav } from '../wav.js';
import { hearWav } from './hear.js';
import {
  layoutMeeting,
  meetingScript,
  type MeetingTimeline,
  writeMeetingWav,
  writeVoiceSampleWav,
} from './meeting-audio.js';
import { cutWav } from './wav-cut.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-meeting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hear = async (wav: Buffer) => {
  const w = parseWav(wav);
  if (typeof w === 'string') throw new Error(w);
  return hearWav(w);
};

/** The timeline's words fully inside [from, to) seconds, shifted to the cut's own clock. */
const wordsIn = (tl: MeetingTimeline, from: number, to: number) =>
  tl.words
    .filter((w) => w.start_s >= from && w.end_s <= to)
    .map((w) => ({ ...w, start_s: w.start_s - from, end_s: w.end_s - from }));

describe('simulated meeting audio', () => {
  it('writes a PCM16 WAV whose timeline follows the script, turn by turn', async () => {
    const lines = meetingScript(3, 11);
    expect(lines.slice(0, 3).map((l) => l.speaker)).toEqual([0, 1, 2]);
    lines.slice(1).forEach((l, i) => expect(l.speaker).not.toBe(lines[i]?.speaker));
    const path = join(dir, 'three.wav');
    const tl = await writeMeetingWav(path, lines);
    const w = parseWav(readFileSync(path));
    if (typeof w === 'string') throw new Error(w);
    expect([w.format, w.channels, w.sampleRate, w.bitsPerSample]).toEqual([1, 1, 16000, 16]);
    expect(w.duration).toBeCloseTo(tl.duration_s, 3);
    expect(tl.words.map((x) => x.word).join(' ')).toBe(lines.map((l) => l.text).join(' '));
    expect(tl.turns.map((t) => t.speaker)).toEqual(lines.map((l) => l.speaker));
    for (const [i, t] of tl.turns.entries()) {
      expect(t.end_s).toBeGreaterThan(t.start_s);
      if (i > 0) expect(t.start_s).toBeGreaterThan(tl.turns[i - 1]!.end_s);
    }
  });

  it('is heard word for word, with voices and times, from cuts at odd sample offsets', async () => {
    const path = join(dir, 'cuts.wav');
    const tl = await writeMeetingWav(path, meetingScript(3, 5), { seed: 9 });
    const total = Math.round(tl.duration_s * 16000);
    for (const [from, to] of [
      [0, total],
      [12_345, 400_001],
      [399_877, total - 3],
    ] as const) {
      const heard = await hear(await cutWav(path, from, to));
      const expected = wordsIn(tl, from / 16000, to / 16000);
      // Only a word cut by an edge may be missing, and then only at that edge.
      const missing = expected.length - heard.words.length;
      expect(missing).toBeGreaterThanOrEqual(0);
      expect(missing).toBeLessThanOrEqual(2);
      const offset = expected.findIndex(
        (e) => e.word === heard.words[0]?.word && Math.abs(e.start_s - heard.words[0]!.start_s) < 0.01,
      );
      expect(offset).toBeLessThanOrEqual(1);
      heard.words.forEach((h, i) => {
        const e = expected[offset + i]!;
        expect([h.word, h.voice]).toEqual([e.word, e.speaker]);
        expect(Math.abs(h.start_s - e.start_s)).toBeLessThan(0.005);
        expect(Math.abs(h.end_s - e.end_s)).toBeLessThan(0.005);
        expect(h.confidence).toBeGreaterThan(0.7); // frames across a word's edge are less sure
      });
      expect(heard.words.reduce((s, w) => s + w.confidence, 0) / heard.words.length).toBeGreaterThan(0.9);
    }
  });

  it('drops a word cut by the start or end of the audio instead of mishearing it', async () => {
    const path = join(dir, 'edge.wav');
    const tl = await writeMeetingWav(path, [{ speaker: 1, text: 'alpha beta gamma' }]);
    const beta = tl.words[1]!;
    const mid = Math.round(((beta.start_s + beta.end_s) / 2) * 16000);
    const head = await hear(await cutWav(path, 0, mid));
    const tail = await hear(await cutWav(path, mid, Math.round(tl.duration_s * 16000)));
    expect(head.words.map((w) => w.word)).toEqual(['alpha']);
    expect(tail.words.map((w) => w.word)).toEqual(['gamma']);
  });

  it('repeats the script up to targetDurationS, streaming, at other sample rates too', async () => {
    for (const sampleRate of [8000, 22050, 44100]) {
      const path = join(dir, `r${sampleRate}.wav`);
      const tl = await writeMeetingWav(path, meetingScript(2, 1).slice(0, 3), {
        sampleRate,
        targetDurationS: 95.5,
      });
      expect(tl.duration_s).toBe(95.5);
      expect(statSync(path).size).toBe(44 + Math.round(95.5 * sampleRate) * 2);
      const heard = await hear(readFileSync(path));
      expect(heard.words.map((w) => w.word)).toEqual(tl.words.map((w) => w.word));
      expect(tl.words.at(-1)!.end_s).toBeLessThanOrEqual(95.5);
      expect(tl.words.length).toBeGreaterThan(3 * 3 * 5); // the three lines came round several times
    }
    expect(() => layoutMeeting([], { sampleRate: 11025 })).toThrow('multiple of 50');
    expect(() => layoutMeeting([{ speaker: 6, text: 'hi' }])).toThrow('speaker must be 0..5');
    expect(() => layoutMeeting([{ speaker: 0, text: 'naïve' }])).toThrow('cannot speak');
  });

  it('hears less certainty in noisier audio', async () => {
    const lines = [{ speaker: 2, text: 'the same words again and again' }];
    const clean = await writeMeetingWav(join(dir, 'clean.wav'), lines);
    await writeMeetingWav(join(dir, 'noisy.wav'), lines, { noise: 0.05 });
    const a = await hear(readFileSync(join(dir, 'clean.wav')));
    const b = await hear(readFileSync(join(dir, 'noisy.wav')));
    expect(b.words.map((w) => w.word)).toEqual(clean.words.map((w) => w.word));
    const mean = (xs: { confidence: number }[]) => xs.reduce((s, x) => s + x.confidence, 0) / xs.length;
    expect(mean(b.words)).toBeLessThan(mean(a.words) - 0.02);
  });

  it('survives MP3 and resampling to 16 kHz through ffmpeg (what a decoding client does)', async () => {
    const wav = join(dir, 'cd.wav');
    const tl = await writeMeetingWav(wav, meetingScript(2, 8).slice(0, 4), { sampleRate: 44100 });
    const run = promisify(execFile);
    const ff = ['-nostdin', '-loglevel', 'error', '-y', '-i'];
    await run('ffmpeg', [...ff, wav, join(dir, 'cd.mp3')]);
    await run('ffmpeg', [...ff, join(dir, 'cd.mp3'), '-ac', '1', '-ar', '16000', join(dir, 'back.wav')]);
    const heard = await hear(readFileSync(join(dir, 'back.wav')));
    expect(heard.words.map((w) => [w.word, w.voice])).toEqual(tl.words.map((w) => [w.word, w.speaker]));
    heard.words.forEach((w, i) => expect(Math.abs(w.start_s - tl.words[i]!.start_s)).toBeLessThan(0.06));
  });

  it('writes one voice only for enrollment samples', async () => {
    const path = join(dir, 'alice.wav');
    const tl = await writeVoiceSampleWav(path, 4, 12);
    expect(tl.duration_s).toBe(12);
    expect(new Set(tl.words.map((w) => w.speaker))).toEqual(new Set([4]));
    expect(tl.turns).toHaveLength(1);
    const heard = await hear(readFileSync(path));
    expect(new Set(heard.words.map((w) => w.voice))).toEqual(new Set([4]));
  });
});
