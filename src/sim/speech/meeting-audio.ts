// Simulated meeting recordings: a script of lines by numbered voices, written as a real PCM16 WAV
// the fake Parakeet can transcribe and diarize from the samples alone (the code is in
// meeting-code.ts). Each voice is a fundamental + harmonic; each word is a burst of that voice
// carrying its letters as tone pairs; words are separated by short gaps, turns by pauses. The WAV is
// streamed to disk block by block (a 90-minute file is never whole in memory) and the timeline
// returned is the ground truth tests compare transcripts and diarization against.
import { open } from 'node:fs/promises';
import { wavHeader } from '../wav.js';
import {
  encodeWord,
  FRAME_HZ,
  harmonicAmp,
  LETTER_AMP,
  letterHz,
  SLOT_S,
  symbolTones,
  TURN_JOIN_GAP_S,
  VOICE_AMP,
  VOICE_COUNT,
  voiceHz,
  WORD_GAP_S,
} from './meeting-code.js';
import { meetingScript } from './meeting-script.js';
import { mulberry32 } from './random.js';

export { meetingScript };
// Kept here too for code written against the first version of this module.
export { mulberry32 } from './random.js';
export { wavHeader } from '../wav.js';

export interface MeetingLine {
  /** Voice index 0..5. */
  speaker: number;
  text: string;
}

export interface MeetingTimeline {
  duration_s: number;
  sample_rate: number;
  words: { speaker: number; word: string; start_s: number; end_s: number }[];
  turns: { speaker: number; start_s: number; end_s: number }[];
}

export interface MeetingWavOptions {
  /** Default 16000; must be a multiple of 50 from 8000 to 48000. */
  sampleRate?: number;
  /** Silence between two lines (turns), seconds. Default 0.5. */
  pauseS?: number;
  /** White-noise RMS as a fraction of full scale. Default 0.004. */
  noise?: number;
  /** Repeat the script until the file is this long (the tail is padded with silence). */
  targetDurationS?: number;
  /** Seeds the noise (default 1), so two files of one script can differ in their noise. */
  seed?: number;
}

/** Silence before the first word and after the last. */
const EDGE_S = 0.4;
const BLOCK_SAMPLES = 65_536;

interface Placed {
  speaker: number;
  word: string;
  symbols: number[];
  start: number;
  length: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Where every word goes (in samples); pure, so the timeline is known before a sample is written. */
export function layoutMeeting(
  lines: MeetingLine[],
  o: MeetingWavOptions = {},
): { placed: Placed[]; totalSamples: number; timeline: MeetingTimeline } {
  const rate = o.sampleRate ?? 16_000;
  if (!Number.isInteger(rate) || rate % FRAME_HZ !== 0 || rate < 8000 || rate > 48_000) {
    throw new RangeError(`sampleRate must be a multiple of ${FRAME_HZ} from 8000 to 48000, got ${rate}`);
  }
  for (const l of lines) {
    if (!Number.isInteger(l.speaker) || l.speaker < 0 || l.speaker >= VOICE_COUNT) {
      throw new RangeError(`speaker must be 0..${VOICE_COUNT - 1}, got ${l.speaker}`);
    }
  }
  const slot = Math.round(SLOT_S * rate);
  const gap = Math.round(WORD_GAP_S * rate);
  const pause = Math.round((o.pauseS ?? 0.5) * rate);
  const edge = Math.round(EDGE_S * rate);
  const target = o.targetDurationS !== undefined ? Math.round(o.targetDurationS * rate) : undefined;
  const spoken = lines
    .map((l) => ({ speaker: l.speaker, words: l.text.split(/\s+/).filter(Boolean) }))
    .map((l) => ({ ...l, symbols: l.words.map(encodeWord) }))
    .filter((l) => l.words.length > 0);

  const placed: Placed[] = [];
  const fits = (end: number): boolean => target === undefined || end + edge <= target;
  let at = edge;
  for (let li = 0; spoken.length > 0; li++) {
    if (target === undefined && li === spoken.length) break; // no target: the script once
    const line = spoken[li % spoken.length] as (typeof spoken)[number];
    for (const [i, word] of line.words.entries()) {
      const symbols = line.symbols[i] ?? [];
      const length = symbols.length * slot;
      if (!fits(at + length)) return finish(placed, rate, target ?? at + edge);
      placed.push({ speaker: line.speaker, word, symbols, start: at, length });
      at += length + gap;
    }
    at += pause - gap;
  }
  const last = placed.at(-1);
  return finish(placed, rate, target ?? (last ? last.start + last.length + edge : edge * 2));
}

function finish(
  placed: Placed[],
  rate: number,
  totalSamples: number,
): { placed: Placed[]; totalSamples: number; timeline: MeetingTimeline } {
  return { placed, totalSamples, timeline: timelineOf(placed, rate, totalSamples) };
}

function timelineOf(placed: Placed[], rate: number, total: number): MeetingTimeline {
  const words = placed.map((p) => ({
    speaker: p.speaker,
    word: p.word,
    start_s: r3(p.start / rate),
    end_s: r3((p.start + p.length) / rate),
  }));
  const turns: MeetingTimeline['turns'] = [];
  for (const w of words) {
    const last = turns.at(-1);
    if (last && last.speaker === w.speaker && w.start_s - last.end_s < TURN_JOIN_GAP_S) last.end_s = w.end_s;
    else turns.push({ speaker: w.speaker, start_s: w.start_s, end_s: w.end_s });
  }
  return { duration_s: r3(total / rate), sample_rate: rate, words, turns };
}

/** One period (a 20 ms frame) of a tone mix, in full-scale units: every tone is periodic in it. */
function period(rate: number, tones: [number, number][]): Float32Array {
  const n = rate / FRAME_HZ;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    let v = 0;
    for (const [hz, amp] of tones) v += amp * Math.sin((2 * Math.PI * hz * k) / rate);
    out[k] = v;
  }
  return out;
}

/** Writes the meeting as a PCM16 mono WAV at `path`, streaming, and returns its timeline. */
export async function writeMeetingWav(
  path: string,
  lines: MeetingLine[],
  opts: MeetingWavOptions = {},
): Promise<MeetingTimeline> {
  const { placed, totalSamples, timeline } = layoutMeeting(lines, opts);
  const rate = timeline.sample_rate;
  const n = rate / FRAME_HZ;
  const slot = Math.round(SLOT_S * rate);
  const voices = Array.from({ length: VOICE_COUNT }, (_, v) =>
    period(rate, [
      [voiceHz(v), VOICE_AMP],
      [2 * voiceHz(v), harmonicAmp(v)],
    ]),
  );
  const letters: Float32Array[] = [];
  const letter = (band: number, symbol: number): Float32Array => {
    const key = symbol * 2 + band;
    let p = letters[key];
    if (!p) {
      const [a, b] = symbolTones(symbol);
      p = period(rate, [
        [letterHz(band, a), LETTER_AMP],
        [letterHz(band, b), LETTER_AMP],
      ]);
      letters[key] = p;
    }
    return p;
  };
  // Uniform noise of the asked RMS (uniform on [-a, a] has RMS a/√3).
  const noiseAmp = (opts.noise ?? 0.004) * Math.sqrt(3);
  const random = mulberry32(opts.seed ?? 1);

  const fh = await open(path, 'w');
  try {
    await fh.write(wavHeader(totalSamples, rate));
    const mix = new Float32Array(BLOCK_SAMPLES);
    let first = 0; // the first word not yet over
    for (let base = 0; base < totalSamples; base += BLOCK_SAMPLES) {
      const len = Math.min(BLOCK_SAMPLES, totalSamples - base);
      for (let i = 0; i < len; i++) mix[i] = noiseAmp * (2 * random() - 1);
      while (
        first < placed.length &&
        (placed[first] as Placed).start + (placed[first] as Placed).length <= base
      ) {
        first++;
      }
      for (let w = first; w < placed.length; w++) {
        const word = placed[w] as Placed;
        if (word.start >= base + len) break;
        const voice = voices[word.speaker] as Float32Array;
        const from = Math.max(word.start, base);
        const to = Math.min(word.start + word.length, base + len);
        for (let s = from; s < to;) {
          const si = Math.floor((s - word.start) / slot);
          const tones = letter(si % 2, word.symbols[si] as number);
          const slotEnd = Math.min(to, word.start + (si + 1) * slot);
          for (; s < slotEnd; s++) {
            const k = s % n;
            mix[s - base] = (mix[s - base] as number) + (voice[k] as number) + (tones[k] as number);
          }
        }
      }
      const block = new Int16Array(len);
      for (let i = 0; i < len; i++) {
        block[i] = Math.max(-32768, Math.min(32767, Math.round((mix[i] as number) * 32767)));
      }
      await fh.write(new Uint8Array(block.buffer));
    }
  } finally {
    await fh.close();
  }
  return timeline;
}

/** One voice only (for enrollment): that speaker reading meeting lines for `seconds`. */
export async function writeVoiceSampleWav(
  path: string,
  speaker: number,
  seconds: number,
  opts: Omit<MeetingWavOptions, 'targetDurationS'> = {},
): Promise<MeetingTimeline> {
  const lines = meetingScript(1, opts.seed ?? speaker + 1).map((l) => ({ speaker, text: l.text }));
  return writeMeetingWav(path, lines, { ...opts, targetDurationS: seconds });
}
