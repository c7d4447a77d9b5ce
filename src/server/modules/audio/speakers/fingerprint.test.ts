import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiarizeChunkResponse, DiarizeTurn } from '../../../../common/audio-api.js';
import {
  addToSum,
  decodeVector,
  dominantVoice,
  encodeVector,
  fingerprintProblem,
  unitVector,
} from './fingerprint.js';

const vec = (seed: number) => Array.from({ length: 192 }, (_, i) => Math.sin(seed * 7.3 + i) + 0.01 * seed);
const turn = (speaker: string, start_s: number, end_s: number): DiarizeTurn => ({
  speaker,
  start_s,
  end_s,
  confidence: 0.9,
});
const chunk = (segments: DiarizeTurn[], fingerprints: Record<string, number[]>): DiarizeChunkResponse => ({
  duration: 30,
  segments,
  speakers_detected: [...new Set(segments.map((s) => s.speaker))],
  fingerprints,
  models: { diarization: 'sortformer', embedding: 'titanet' },
});
const norm = (v: number[]) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('fingerprintProblem', () => {
  it.each([
    ['not a list', 'abc', /not a list/],
    ['191 values', vec(1).slice(1), /191 values where 192/],
    ['193 values', [...vec(1), 0], /193 values/],
    ['NaN', vec(1).map((x, i) => (i === 5 ? NaN : x)), /finite/],
    ['Infinity', vec(1).map((x, i) => (i === 5 ? Infinity : x)), /finite/],
    ['a string inside', vec(1).map((x, i) => (i === 5 ? '1' : x)), /finite/],
    ['all zeros', new Array(192).fill(0), /all zeros/],
    ['overflowing', new Array(192).fill(1e200), /too large/],
  ])('refuses %s', (_n, v, why) => {
    expect(fingerprintProblem(v)).toMatch(why);
  });
  it('accepts 192 finite floats', () => {
    expect(fingerprintProblem(vec(3))).toBeNull();
  });
});

describe('dominantVoice', () => {
  it('picks the voice with the most speech, not the first or the one with most turns', () => {
    const r = chunk(
      [turn('Speaker_0', 0, 2), turn('Speaker_1', 2, 9), turn('Speaker_0', 9, 11), turn('Speaker_0', 11, 13)],
      { Speaker_0: vec(0), Speaker_1: vec(1) },
    );
    const out = dominantVoice(r);
    expect(out).toEqual({ ok: true, voice: { label: 'Speaker_1', vector: vec(1), speech_s: 7, voices: 2 } });
  });

  it('breaks a tie with the voice heard first', () => {
    const r = chunk([turn('Speaker_1', 0, 3), turn('Speaker_0', 3, 6)], {
      Speaker_0: vec(0),
      Speaker_1: vec(1),
    });
    expect(dominantVoice(r)).toMatchObject({ ok: true, voice: { label: 'Speaker_1', voices: 2 } });
  });

  it('says no speech when there are no turns (or only empty ones)', () => {
    expect(dominantVoice(chunk([], {}))).toMatchObject({ ok: false, reason: 'no_speech' });
    expect(dominantVoice(chunk([turn('Speaker_0', 4, 4)], { Speaker_0: vec(0) }))).toMatchObject({
      ok: false,
      reason: 'no_speech',
    });
  });

  it('refuses a sample with too little speech, saying how much it had', () => {
    const out = dominantVoice(chunk([turn('Speaker_0', 1, 1.4)], { Speaker_0: vec(0) }));
    expect(out).toMatchObject({ ok: false, reason: 'too_little_speech' });
    expect(!out.ok && out.message).toMatch(/0\.4 s of speech/);
  });

  it('never falls back to another voice when the dominant one has no usable fingerprint', () => {
    const missing = chunk([turn('Speaker_0', 0, 8), turn('Speaker_1', 8, 10)], { Speaker_1: vec(1) });
    expect(dominantVoice(missing)).toMatchObject({ ok: false, reason: 'no_fingerprint' });
    const short = chunk([turn('Speaker_0', 0, 8)], { Speaker_0: vec(0).slice(0, 10) });
    expect(dominantVoice(short)).toMatchObject({ ok: false, reason: 'no_fingerprint' });
  });
});

describe('summing samples', () => {
  it('weighs every sample equally whatever its magnitude', () => {
    const a = vec(1);
    const b = vec(2);
    const loud = addToSum(
      addToSum(
        null,
        a.map((x) => x * 1000),
      ),
      b,
    );
    const quiet = addToSum(
      addToSum(null, a),
      b.map((x) => x / 1000),
    );
    loud.forEach((x, i) => expect(x).toBeCloseTo(quiet[i]!, 12));
  });

  it('a unit vector has length 1 and keeps its direction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 192, maxLength: 192 }),
        (v) => {
          fc.pre(norm(v) > 1e-6);
          const u = unitVector(v);
          expect(norm(u)).toBeCloseTo(1, 9);
          const dot = u.reduce((acc, x, i) => acc + x * v[i]!, 0);
          expect(dot).toBeCloseTo(norm(v), 6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stores vectors exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 192 }), (v) => {
        expect(decodeVector(encodeVector(v))).toEqual(v);
      }),
    );
  });
});
