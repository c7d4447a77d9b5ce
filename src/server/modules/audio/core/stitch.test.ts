import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimedWord } from '../../../../common/audio-api.js';
import { planChunks, type ChunkSpan } from './chunk-plan.js';
import type { Turn } from './merge.js';
import { stitchChunks, type ChunkOutcome } from './stitch.js';
import { fingerprint, rng, voice } from './test-voices.js';

const T = { distanceThreshold: 0.7 };

/** What a worker would return for one chunk of a scripted recording (absolute → chunk-relative). */
function observe(
  span: ChunkSpan,
  words: (TimedWord & { voice: number })[],
  fingerprintOf: (voice: number) => number[] | undefined,
  jitterS = 0,
): ChunkOutcome {
  // Each chunk's ASR puts the words a little earlier or later than its neighbour does.
  const shift = span.index % 2 === 0 ? jitterS : -jitterS;
  const inside = words
    .filter((w) => w.start >= span.start_s && w.end <= span.end_s)
    .map((w) => ({
      ...w,
      start: Math.max(span.start_s, w.start + shift),
      end: Math.max(span.start_s, w.end + shift),
    }));
  // Local labels in order of first appearance, as the diarizer gives them.
  const local = new Map<number, string>();
  for (const w of inside) if (!local.has(w.voice)) local.set(w.voice, `Speaker_${local.size}`);
  const turns: Turn[] = inside.map((w) => ({
    start_s: w.start - span.start_s,
    end_s: w.end - span.start_s,
    speaker: local.get(w.voice)!,
    confidence: 0.9,
  }));
  const fingerprints: Record<string, number[]> = {};
  for (const [v, label] of local) {
    const f = fingerprintOf(v);
    if (f) fingerprints[label] = f;
  }
  return {
    span,
    words: inside.map((w) => ({ word: w.word, start: w.start - span.start_s, end: w.end - span.start_s })),
    turns,
    fingerprints,
  };
}

describe('stitchChunks', () => {
  const r = rng(3);
  const voices = [voice(r), voice(r), voice(r)];
  // 3 speakers taking turns for 30 minutes: one word per second.
  const script = Array.from({ length: 1800 }, (_, i) => ({
    word: `w${i}`,
    start: i + 0.1,
    end: i + 0.6,
    voice: Math.floor(i / 7) % 3,
  }));
  const spans = planChunks(1800, { chunkS: 300, overlapS: 10 });

  it('labels each voice with one global speaker across all chunks, by first appearance', () => {
    const chunks = spans.map((s) => observe(s, script, (v) => fingerprint(r, voices[v]!, 0.4)));
    const out = stitchChunks([...chunks].reverse(), T);
    expect(out.words.map((w) => w.word)).toEqual(script.map((w) => w.word));
    // A turn across a cut is kept in two pieces, one from each chunk: no time is lost or doubled.
    expect(out.turns.length).toBeGreaterThanOrEqual(1800);
    expect(out.turns.length).toBeLessThanOrEqual(1800 + spans.length - 1);
    expect(out.turns.reduce((sum, t) => sum + t.end_s - t.start_s, 0)).toBeCloseTo(1800 * 0.5, 6);
    for (const t of out.turns) expect(t.speaker).toBe(`Speaker_${script[Math.floor(t.start_s)]!.voice}`);
    expect(Object.keys(out.centroids).sort()).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2']);
    expect(out.centroids.Speaker_0).toHaveLength(192);
  });

  it('a local speaker without a (usable) fingerprint becomes a global speaker of its own', () => {
    const chunks = spans.map((s) =>
      observe(s, script, (v) => (s.index === 2 && v === 1 ? undefined : fingerprint(r, voices[v]!, 0.4))),
    );
    chunks[3]!.fingerprints.Speaker_0 = [];
    const out = stitchChunks(chunks, T);
    const labels = new Set(out.turns.map((t) => t.speaker));
    expect(labels.size).toBe(5);
    const orphan = out.turns.filter(
      (t) => t.start_s >= spans[2]!.keep_from_s && t.end_s <= spans[2]!.keep_to_s,
    );
    const orphanLabels = new Set(
      orphan.filter((_, i) => script[Math.floor(orphan[i]!.start_s)]!.voice === 1).map((t) => t.speaker),
    );
    expect(orphanLabels.size).toBe(1);
    expect(out.centroids[[...orphanLabels][0]!]).toBeUndefined();
  });

  it('clips turns to the keep range, shifts them to absolute time and drops what is outside', () => {
    const span = { index: 1, start_s: 100, end_s: 200, keep_from_s: 105, keep_to_s: 195 };
    const out = stitchChunks(
      [
        {
          span,
          words: [
            { word: 'cut', start: 0, end: 1 },
            { word: 'kept', start: 50, end: 51 },
          ],
          turns: [
            { start_s: 0, end_s: 60, speaker: 'Speaker_0', confidence: 0.5 },
            { start_s: 0, end_s: 4, speaker: 'Speaker_1', confidence: 0.5 },
          ],
          fingerprints: { Speaker_0: [1, 0] },
        },
      ],
      T,
    );
    expect(out.words).toEqual([{ word: 'kept', start: 150, end: 151 }]);
    expect(out.turns).toEqual([{ start_s: 105, end_s: 160, speaker: 'Speaker_0', confidence: 0.5 }]);
    expect(out.centroids).toEqual({ Speaker_0: [1, 0] });
  });

  it('handles no chunks and rejects bad times or a repeated chunk', () => {
    expect(stitchChunks([], T)).toEqual({ words: [], turns: [], centroids: {} });
    const span = spans[0]!;
    const bad = { span, words: [{ word: 'x', start: NaN, end: 1 }], turns: [], fingerprints: {} };
    expect(() => stitchChunks([bad], T)).toThrow(/chunk 0 word 0 \("x"\) has an invalid time/);
    const empty = { span, words: [], turns: [], fingerprints: {} };
    expect(() => stitchChunks([empty, empty], T)).toThrow(/chunk 0 appears twice/);
    const mixed = { ...empty, fingerprints: { Speaker_0: [1, 2], Speaker_1: [1, 2, 3] } };
    expect(() => stitchChunks([mixed], T)).toThrow(/differ in length/);
  });

  it('never loses or repeats a word across overlapping chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 20 })), {
          minLength: 60,
          maxLength: 200,
        }),
        fc.integer({ min: 40, max: 120 }),
        fc.integer({ min: 8, max: 30 }),
        (gapsAndLengths, chunkS, overlapS) => {
          // Words in time order; each shorter than half the overlap, so near a cut it is whole in both chunks.
          let t = 0;
          const words = gapsAndLengths.map(([gap, len], i) => {
            const start = t + gap / 10;
            const end = start + Math.min(len / 10, overlapS / 2 - 0.5);
            t = end;
            return { word: `w${i}`, start, end, voice: i % 2 };
          });
          const duration = Math.max(1, Math.ceil(t + 1));
          const spans = planChunks(duration, { chunkS, overlapS });
          // A word whose middle sits (within rounding) on a cut is a test artefact, not a case.
          const cuts = spans.slice(1).map((s) => s.keep_from_s);
          fc.pre(words.every((w) => cuts.every((c) => Math.abs((w.start + w.end) / 2 - c) > 1e-6)));
          const chunks = spans.map((s) => observe(s, words, (v) => (v === 0 ? [1, 0] : [0, 1])));
          const out = stitchChunks(chunks, T);
          expect(out.words.map((w) => w.word)).toEqual(words.map((w) => w.word));
          out.words.forEach((w, i) => expect(w.start).toBeCloseTo(words[i]!.start, 9));
          expect(new Set(out.turns.map((x) => x.speaker)).size).toBe(Math.min(2, words.length));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never loses or repeats a word when neighbouring chunks disagree a little on word times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 15 })), {
          minLength: 60,
          maxLength: 200,
        }),
        fc.integer({ min: 40, max: 120 }),
        fc.integer({ min: 8, max: 30 }),
        fc.integer({ min: 0, max: 5 }),
        (gapsAndLengths, chunkS, overlapS, jitter) => {
          // Pauses ≥ 0.3 s somewhere near each seam; words ≥ 0.2 s, so a word's two copies overlap.
          let t = 0;
          const words = gapsAndLengths.map(([gap, len], i) => {
            const start = t + gap / 10;
            const end = start + Math.min(len / 10, overlapS / 4 - 0.5);
            t = end;
            return { word: `w${i}`, start, end, voice: 0 };
          });
          const spans = planChunks(Math.max(1, Math.ceil(t + 1)), { chunkS, overlapS });
          const chunks = spans.map((s) => observe(s, words, () => [1, 0], jitter / 100));
          const out = stitchChunks(chunks, T);
          expect(out.words.map((w) => w.word)).toEqual(words.map((w) => w.word));
        },
      ),
      { numRuns: 300 },
    );
  });
});
