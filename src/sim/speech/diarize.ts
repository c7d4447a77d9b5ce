// The fake Sortformer + TitaNet: who spoke when, from what the ear heard (meeting-decode.ts).
// Turns are runs of one voice's words; local labels Speaker_0..3 go to voices in order of first
// appearance. Like Sortformer (4 output slots), a file holds at most 4 speakers: a fifth voice is
// heard as the present speaker whose voice is closest in pitch, at half the confidence (the
// model's sigmoids are unsure), and that speaker's fingerprint becomes a blend of both voices.
// Fingerprints follow the overlay's rule (longest turns ≥ 0.5 s, up to 30 s per speaker).
import type { DiarizeTurn } from '../../common/audio-api.js';
import { TURN_JOIN_GAP_S, voiceHz } from './meeting-code.js';
import type { HeardAudio } from './meeting-decode.js';
import { fingerprint, pitchVector, voiceVector } from './voiceprint.js';

export const MAX_SPEAKERS = 4;
const FINGERPRINT_MAX_S = 30;
const FINGERPRINT_MIN_TURN_S = 0.5;
/** What the fake diarizer is sure of for audio that is not a simulated meeting. */
const OTHER_AUDIO_CONFIDENCE = 0.9;

export interface Diarized {
  segments: DiarizeTurn[];
  speakers_detected: string[];
  fingerprints: Record<string, number[]>;
}

interface Turn {
  label: number;
  start_s: number;
  end_s: number;
  /** Seconds of each true voice (pitch vector for other audio) in the turn, and confidence × seconds. */
  voices: Map<number, number>;
  weighted: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const label = (k: number): string => `Speaker_${k}`;

/** Diarization of heard audio; `noiseSeed` (from the file's bytes) varies the fingerprints per file. */
export function diarizeHeard(heard: HeardAudio, noiseSeed: number): Diarized {
  if (heard.words.length === 0) return otherAudio(heard, noiseSeed);
  const labelOf = new Map<number, number>();
  const present: number[] = [];
  const turns: Turn[] = [];
  for (const w of heard.words) {
    let k = labelOf.get(w.voice);
    let confidence = w.confidence;
    if (k === undefined) {
      if (present.length < MAX_SPEAKERS) {
        k = present.length;
        present.push(w.voice);
        labelOf.set(w.voice, k);
      } else {
        const host = nearestInPitch(w.voice, present);
        k = present.indexOf(host);
        labelOf.set(w.voice, k);
      }
    }
    if (present[k] !== w.voice) confidence /= 2;
    const seconds = w.end_s - w.start_s;
    const last = turns.at(-1);
    if (last && last.label === k && w.start_s - last.end_s < TURN_JOIN_GAP_S) {
      last.end_s = w.end_s;
      last.voices.set(w.voice, (last.voices.get(w.voice) ?? 0) + seconds);
      last.weighted += confidence * seconds;
    } else {
      turns.push({
        label: k,
        start_s: w.start_s,
        end_s: w.end_s,
        voices: new Map([[w.voice, seconds]]),
        weighted: confidence * seconds,
      });
    }
  }
  const vectorOf = (voice: number): number[] => voiceVector(voice);
  return respond(turns, present.length, vectorOf, noiseSeed);
}

function nearestInPitch(voice: number, present: number[]): number {
  let best = present[0] as number;
  for (const p of present) {
    if (Math.abs(voiceHz(p) - voiceHz(voice)) < Math.abs(voiceHz(best) - voiceHz(voice))) best = p;
  }
  return best;
}

/** Silence: nobody. Anything else audible (a tone, Magpie's speech): one speaker over its stretches. */
function otherAudio(heard: HeardAudio, noiseSeed: number): Diarized {
  if (heard.active.length === 0) return { segments: [], speakers_detected: [], fingerprints: {} };
  const turns: Turn[] = heard.active.map((a) => ({
    label: 0,
    start_s: a.start_s,
    end_s: Math.min(a.end_s, heard.duration_s),
    voices: new Map([[0, a.end_s - a.start_s]]),
    weighted: OTHER_AUDIO_CONFIDENCE * (a.end_s - a.start_s),
  }));
  const vector = pitchVector(heard.pitch_hz);
  return respond(turns, 1, () => vector, noiseSeed);
}

function respond(
  turns: Turn[],
  speakers: number,
  vectorOf: (voice: number) => number[],
  noiseSeed: number,
): Diarized {
  const segments: DiarizeTurn[] = turns
    .map((t) => ({
      start_s: r3(t.start_s),
      end_s: r3(t.end_s),
      speaker: label(t.label),
      confidence: r4(
        t.weighted /
          Math.max(
            1e-9,
            [...t.voices.values()].reduce((a, b) => a + b, 0),
          ),
      ),
    }))
    .sort((a, b) => a.start_s - b.start_s || a.end_s - b.end_s || a.speaker.localeCompare(b.speaker));
  const speakers_detected = Array.from({ length: speakers }, (_, k) => label(k));
  const fingerprints: Record<string, number[]> = {};
  for (let k = 0; k < speakers; k++) {
    const mix = new Map<number, number>();
    for (const t of fingerprintTurns(turns, k)) {
      for (const [voice, s] of t.turn.voices) mix.set(voice, (mix.get(voice) ?? 0) + s * t.share);
    }
    fingerprints[label(k)] = fingerprint(
      [...mix].map(([voice, seconds]) => ({ vector: vectorOf(voice), seconds })),
      (noiseSeed + 7919 * (k + 1)) >>> 0,
    );
  }
  return { segments, speakers_detected, fingerprints };
}

/** The overlay's fingerprint windows: a speaker's longest turns ≥ 0.5 s, up to 30 s (else the longest). */
function fingerprintTurns(turns: Turn[], k: number): { turn: Turn; share: number }[] {
  const mine = turns
    .filter((t) => t.label === k && t.end_s > t.start_s)
    .sort((a, b) => b.end_s - b.start_s - (a.end_s - a.start_s) || a.start_s - b.start_s);
  const chosen: { turn: Turn; share: number }[] = [];
  let total = 0;
  for (const t of mine) {
    const length = t.end_s - t.start_s;
    if (length < FINGERPRINT_MIN_TURN_S || total >= FINGERPRINT_MAX_S) break;
    const take = Math.min(length, FINGERPRINT_MAX_S - total);
    chosen.push({ turn: t, share: take / length });
    total += take;
  }
  const longest = mine[0];
  return chosen.length > 0 || !longest ? chosen : [{ turn: longest, share: 1 }];
}
