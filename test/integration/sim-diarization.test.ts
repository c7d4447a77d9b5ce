// The simulator's diarizer, heard through real HTTP: a 3-speaker meeting written to a temp WAV and
// cut into two overlapping pieces at odd sample offsets, as a chunking client would send it.
// Transcription goes through the control plane's /v1 relay, diarization straight to the fake
// Parakeet (the overlay's routes). Nothing of ours is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiarizeChunkResponse, DiarizeResponse, TimedWord } from '../../src/common/audio-api.js';
import { meetingScript, type MeetingTimeline, writeMeetingWav } from '../../src/sim/speech/meeting-audio.js';
import { cosineDistance } from '../../src/sim/speech/voiceprint.js';
import { cutWav } from '../../src/sim/speech/wav-cut.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const RATE = 16_000;
const form = (wav: Buffer, fields: Record<string, string> = {}): FormData => {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'piece.wav');
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
};

describe('the simulator diarizes what its meeting audio says', () => {
  let c: TestCluster;
  let dir: string;
  let tl: MeetingTimeline;
  const pieces: { from: number; to: number; wav: Buffer }[] = [];
  const parakeet = (path: string) => `${c.sim.speech.parakeet.url}${path}`;
  const chunk = async (wav: Buffer): Promise<DiarizeChunkResponse> => {
    const res = await fetch(parakeet('/v1/audio/diarize-chunk'), { method: 'POST', body: form(wav) });
    expect(res.status).toBe(200);
    return (await res.json()) as DiarizeChunkResponse;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-diarization-'));
    c = await startTestCluster({ speed: 0.02 });
    const path = join(dir, 'meeting.wav');
    tl = await writeMeetingWav(path, meetingScript(3, 4), { targetDurationS: 100 });
    const total = Math.round(tl.duration_s * RATE);
    for (const [from, to] of [
      [0, 60 * RATE + 4321],
      [48 * RATE + 777, total],
    ] as const) {
      pieces.push({ from, to, wav: await cutWav(path, from, to) });
    }
  });
  afterAll(async () => {
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The script's words wholly inside a piece, on the piece's clock. */
  const expectedWords = (p: { from: number; to: number }) =>
    tl.words
      .filter((w) => w.start_s >= p.from / RATE && w.end_s <= p.to / RATE)
      .map((w) => ({ ...w, start_s: w.start_s - p.from / RATE, end_s: w.end_s - p.from / RATE }));

  it('transcribes each piece (through the /v1 relay) to the script words with their times', async () => {
    for (const p of pieces) {
      const res = await fetch(`${c.url}/v1/audio/transcriptions`, {
        method: 'POST',
        body: form(p.wav, {
          model: 'parakeet',
          response_format: 'verbose_json',
          'timestamp_granularities[]': 'word',
        }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { words: TimedWord[]; duration: number };
      expect(body.duration).toBeCloseTo((p.to - p.from) / RATE, 2);
      const want = expectedWords(p);
      // A word cut by a piece's edge may be lost there (its neighbour piece has it whole).
      const skip = want.findIndex(
        (w) => w.word === body.words[0]?.word && Math.abs(w.start_s - body.words[0]!.start) < 0.02,
      );
      expect(skip).toBeGreaterThanOrEqual(0);
      expect(skip).toBeLessThanOrEqual(1);
      expect(want.length - skip - body.words.length).toBeLessThanOrEqual(1);
      body.words.forEach((w, i) => {
        const e = want[skip + i]!;
        expect(w.word).toBe(e.word);
        expect(Math.abs(w.start - e.start_s)).toBeLessThanOrEqual(0.011);
        expect(Math.abs(w.end - e.end_s)).toBeLessThanOrEqual(0.011);
      });
    }
  });

  it('diarizes each piece into the script turns, and its voiceprints cluster by voice across pieces', async () => {
    const prints: { voice: number; vector: number[] }[] = [];
    for (const p of pieces) {
      const d = await chunk(p.wav);
      const shift = p.from / RATE;
      const voiceOfLabel = new Map<string, number>();
      for (const s of d.segments) {
        // Every turn found is a script turn (one clipped by the piece's edge may start or end early).
        const truth = tl.turns.find((t) => t.start_s < s.end_s + shift && t.end_s > s.start_s + shift);
        expect(truth).toBeDefined();
        expect(Math.abs(Math.max(truth!.start_s - shift, 0) - s.start_s)).toBeLessThan(0.4);
        if (voiceOfLabel.has(s.speaker)) expect(voiceOfLabel.get(s.speaker)).toBe(truth!.speaker);
        voiceOfLabel.set(s.speaker, truth!.speaker);
        expect(s.confidence).toBeGreaterThan(0.8);
      }
      expect(d.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2']);
      expect(new Set(voiceOfLabel.values()).size).toBe(3); // one label per voice
      // Labels come in order of first appearance.
      const firsts = d.speakers_detected.map((l) => d.segments.findIndex((s) => s.speaker === l));
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
      for (const [label, voice] of voiceOfLabel) prints.push({ voice, vector: d.fingerprints[label]! });
    }
    expect(prints).toHaveLength(6);
    for (const a of prints) {
      for (const b of prints) {
        if (a === b) continue;
        const dist = cosineDistance(a.vector, b.vector);
        if (a.voice === b.voice) expect(dist).toBeLessThanOrEqual(0.3);
        else expect(dist).toBeGreaterThanOrEqual(0.9);
      }
    }
  });

  it('finds at most four speakers in a file, like Sortformer', async () => {
    const path = join(dir, 'six.wav');
    const six = await writeMeetingWav(path, meetingScript(6, 1).slice(0, 12));
    expect(new Set(six.turns.map((t) => t.speaker)).size).toBe(6);
    const wav = await cutWav(path, 0, Math.round(six.duration_s * RATE));
    const d = await chunk(wav);
    expect(d.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2', 'Speaker_3']);
    expect(Object.keys(d.fingerprints)).toEqual(d.speakers_detected);
    expect(new Set(d.segments.map((s) => s.speaker)).size).toBe(4);
  });

  it('fails both diarizer routes like a wedged GPU under the parakeet-wedge fault', async () => {
    c.sim.faults.parakeetWedge(true);
    try {
      for (const route of ['/v1/audio/diarize', '/v1/audio/diarize-chunk']) {
        const res = await fetch(parakeet(route), { method: 'POST', body: form(pieces[1]!.wav) });
        expect(res.status).toBe(500);
        expect(((await res.json()) as { detail: string }).detail).toContain('CUBLAS_STATUS_EXECUTION_FAILED');
      }
    } finally {
      c.sim.faults.parakeetWedge(false);
    }
    const ok = await fetch(parakeet('/v1/audio/diarize'), { method: 'POST', body: form(pieces[1]!.wav) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as DiarizeResponse).speakers_detected).toHaveLength(3);
  });
});
