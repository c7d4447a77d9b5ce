import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWav } from '../wav.js';
import { diarizeHeard } from './diarize.js';
import { audioSeed, hearWav } from './hear.js';
import { meetingScript, writeMeetingWav, writeVoiceSampleWav } from './meeting-audio.js';
import type { HeardAudio } from './meeting-decode.js';
import { cosineDistance } from './voiceprint.js';
import { cutWav } from './wav-cut.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-diarize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const diarize = async (wav: Buffer) => {
  const w = parseWav(wav);
  if (typeof w === 'string') throw new Error(w);
  return diarizeHeard(await hearWav(w), audioSeed(w.data));
};

describe('the fake diarizer', () => {
  it('labels voices in order of first appearance and finds the script turns', async () => {
    const lines = [1, 4, 1, 2, 4].map((speaker, i) => ({ speaker, text: `line number ${i} is here.` }));
    const path = join(dir, 'order.wav');
    const tl = await writeMeetingWav(path, lines);
    const d = await diarize(readFileSync(path));
    expect(d.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2']);
    expect(d.segments.map((s) => s.speaker)).toEqual([
      'Speaker_0',
      'Speaker_1',
      'Speaker_0',
      'Speaker_2',
      'Speaker_1',
    ]);
    d.segments.forEach((s, i) => {
      expect(Math.abs(s.start_s - tl.turns[i]!.start_s)).toBeLessThan(0.005);
      expect(Math.abs(s.end_s - tl.turns[i]!.end_s)).toBeLessThan(0.005);
      expect(s.confidence).toBeGreaterThan(0.85);
    });
  });

  it('keeps one voice close and two voices far apart across chunks, files and enrollment samples', async () => {
    const path = join(dir, 'three.wav');
    const tl = await writeMeetingWav(path, meetingScript(3, 2), { targetDurationS: 150 });
    const a = await diarize(await cutWav(path, 0, 1_300_001));
    const b = await diarize(await cutWav(path, 1_100_003, Math.round(tl.duration_s * 16000)));
    const sample = join(dir, 'voice1.wav');
    await writeVoiceSampleWav(sample, 1, 20);
    const enrolled = await diarize(readFileSync(sample));
    expect(enrolled.speakers_detected).toEqual(['Speaker_0']);
    const fa = a.fingerprints;
    const fb = b.fingerprints;
    // In the second piece a different voice may come first: match by which voice each label is.
    const voiceOf = (d: typeof a, t0: number): Record<string, number | undefined> =>
      Object.fromEntries(
        d.segments.map((s) => [
          s.speaker,
          tl.turns.find((t) => Math.abs(t.start_s - (s.start_s + t0)) < 0.01)?.speaker,
        ]),
      );
    const va = voiceOf(a, 0);
    const vb = voiceOf(b, 1_100_003 / 16000);
    for (const [la, voiceA] of Object.entries(va)) {
      for (const [lb, voiceB] of Object.entries(vb)) {
        const dist = cosineDistance(fa[la]!, fb[lb]!);
        if (voiceA === voiceB) expect(dist).toBeLessThanOrEqual(0.3);
        else expect(dist).toBeGreaterThanOrEqual(0.9);
      }
      const toEnrolled = cosineDistance(fa[la]!, enrolled.fingerprints.Speaker_0!);
      if (voiceA === 1) expect(toEnrolled).toBeLessThanOrEqual(0.3);
      else expect(toEnrolled).toBeGreaterThanOrEqual(0.9);
    }
    expect(fa.Speaker_0).not.toEqual(fb[Object.entries(vb).find(([, v]) => v === va.Speaker_0)![0]]); // noise per file
    for (const v of Object.values(fa)) expect(v).toHaveLength(192);
  });

  it('caps a file at four speakers: a fifth voice is heard as the nearest in pitch, unsure', async () => {
    const path = join(dir, 'five.wav');
    const lines = [0, 1, 2, 3, 4, 0, 4].map((speaker) => ({
      speaker,
      text: 'we should talk about the budget.',
    }));
    await writeMeetingWav(path, lines);
    const d = await diarize(readFileSync(path));
    expect(d.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2', 'Speaker_3']);
    expect(Object.keys(d.fingerprints)).toHaveLength(4);
    // Voice 4 (550 Hz) goes to voice 3 (450 Hz): its turns join Speaker_3's and pull its confidence down.
    expect(d.segments.map((s) => s.speaker)).toEqual([
      'Speaker_0',
      'Speaker_1',
      'Speaker_2',
      'Speaker_3',
      'Speaker_0',
      'Speaker_3',
    ]);
    const s3 = d.segments.filter((s) => s.speaker === 'Speaker_3');
    expect(s3[1]!.confidence!).toBeLessThan(0.6);
    expect(s3[0]!.confidence!).toBeLessThan(0.8); // voice 3 and voice 4 back to back: one blended turn
  });

  it('hears nobody in silence and one speaker in audio that is not a meeting', () => {
    const base: HeardAudio = { duration_s: 3, sample_rate: 16000, words: [], active: [], pitch_hz: null };
    expect(diarizeHeard(base, 1)).toEqual({ segments: [], speakers_detected: [], fingerprints: {} });
    const tone = diarizeHeard({ ...base, active: [{ start_s: 0.5, end_s: 2 }], pitch_hz: 180 }, 1);
    expect(tone.segments).toEqual([{ start_s: 0.5, end_s: 2, speaker: 'Speaker_0', confidence: 0.9 }]);
    const again = diarizeHeard({ ...base, active: [{ start_s: 0, end_s: 1 }], pitch_hz: 185 }, 2);
    const other = diarizeHeard({ ...base, active: [{ start_s: 0, end_s: 1 }], pitch_hz: 260 }, 2);
    expect(cosineDistance(tone.fingerprints.Speaker_0!, again.fingerprints.Speaker_0!)).toBeLessThan(0.3);
    expect(cosineDistance(tone.fingerprints.Speaker_0!, other.fingerprints.Speaker_0!)).toBeGreaterThan(0.7);
  });
});
