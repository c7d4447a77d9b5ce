// The fake Parakeet's ear: reads the words of simulated meeting audio (meeting-code.ts) back from
// the samples, from any cut of a file. Non-overlapping 20 ms frames (every tone is periodic in 20 ms,
// so the frames' phase against the words does not matter) are measured with Goertzel filters on
// the voice and letter bins only; runs of voiced frames are words, runs of frames in one letter band
// are symbols. A word touching either end of the audio may be cut, so it is left out. Frames are
// independent, so the analyser takes samples in blocks (stream-friendly) and keeps O(words) state.
import {
  BAND_TONES,
  decodeSymbols,
  FRAME_HZ,
  letterHz,
  symbolOf,
  VOICE_COUNT,
  voiceHz,
} from './meeting-code.js';

export interface HeardWord {
  word: string;
  /** Voice index 0..5. */
  voice: number;
  start_s: number;
  end_s: number;
  /** Mean share of the voice's energy among the voice bins and what no tone explains. */
  confidence: number;
}

export interface HeardAudio {
  duration_s: number;
  sample_rate: number;
  words: HeardWord[];
  /** Non-silent stretches (any audio), for what is not a simulated meeting. */
  active: { start_s: number; end_s: number }[];
  /** Dominant pitch of the active audio (zero crossings), null when silent. */
  pitch_hz: number | null;
}

/** RMS (fraction of full scale) above which a frame is not silence. */
const ACTIVE_RMS = 0.02;
/** Frame must carry at least this share of its energy in one voice bin, and this much in letters. */
const VOICE_SHARE = 0.4;
const LETTER_SHARE = 0.12;
/** Nothing but a word goes above this (the noise of simulated meetings is ~0.004 RMS). */
const EDGE_LEVEL = 0.1;
/** Gaps shorter than this join active stretches. */
const ACTIVE_JOIN_S = 0.5;

interface Goertzel {
  coeff: number;
}
const goertzel = (hz: number, rate: number): Goertzel => ({ coeff: 2 * Math.cos((2 * Math.PI * hz) / rate) });

/** |X(f)|² × 2/N over one frame: the energy (sum of squares) a whole-cycle tone at f contributes. */
function power(g: Goertzel, x: Float64Array): number {
  let s1 = 0;
  let s2 = 0;
  const c = g.coeff;
  for (let i = 0; i < x.length; i++) {
    const s0 = (x[i] as number) + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return ((s1 * s1 + s2 * s2 - c * s1 * s2) * 2) / x.length;
}

interface WordRun {
  startSample: number;
  firstFrame: number;
  lastFrame: number;
  voiceEnergy: Float64Array;
  confidence: number[];
  /** Symbol runs: band and summed letter energies of its frames. */
  slots: { band: number; energy: Float64Array }[];
}

export class MeetingEar {
  private readonly n: number;
  /** The last three frames (the current one at index frameIndex % 3), for finding word edges. */
  private readonly ring: Float64Array[];
  private frame: Float64Array;
  private fill = 0;
  private frameIndex = 0;
  private readonly voices: Goertzel[];
  private readonly harmonics: Goertzel[];
  private readonly letters: Goertzel[][];
  private run: WordRun | null = null;
  private readonly words: HeardWord[] = [];
  private readonly active: { start_s: number; end_s: number }[] = [];
  private crossings = 0;
  private activeFrames = 0;
  private lastSign = 0;

  constructor(readonly rate: number) {
    this.n = Math.max(1, Math.round(rate / FRAME_HZ));
    this.ring = [0, 1, 2].map(() => new Float64Array(this.n));
    this.frame = this.ring[0] as Float64Array;
    this.voices = Array.from({ length: VOICE_COUNT }, (_, v) => goertzel(voiceHz(v), rate));
    this.harmonics = Array.from({ length: VOICE_COUNT }, (_, v) => goertzel(2 * voiceHz(v), rate));
    this.letters = [0, 1].map((band) =>
      Array.from({ length: BAND_TONES }, (_, t) => goertzel(letterHz(band, t), rate)),
    );
  }

  /** Samples as fractions of full scale ([-1, 1]). */
  push(samples: Float32Array | Float64Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.frame[this.fill++] = samples[i] as number;
      if (this.fill === this.n) {
        // Every other frame is enough: a 60 ms symbol always holds a whole analysed 20 ms frame.
        if (this.frameIndex % 2 === 0) this.analyse();
        this.fill = 0;
        this.frameIndex++;
        this.frame = this.ring[this.frameIndex % 3] as Float64Array;
      }
    }
  }

  /** Everything heard; the partial frame at the end is ignored (and a word reaching it dropped). */
  finish(): HeardAudio {
    this.closeRun(true);
    const seconds = (this.frameIndex * this.n + this.fill) / this.rate;
    const last = this.active.at(-1);
    if (last) last.end_s = Math.min(last.end_s, round3(seconds));
    return {
      duration_s: Math.round(seconds * 1000) / 1000,
      sample_rate: this.rate,
      words: this.words,
      active: this.active,
      pitch_hz:
        this.activeFrames > 0 ? this.crossings / 2 / ((this.activeFrames * this.n) / this.rate) : null,
    };
  }

  private analyse(): void {
    const x = this.frame;
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += (x[i] as number) * (x[i] as number);
    const t0 = (this.frameIndex * this.n) / this.rate;
    const t1 = t0 + this.n / this.rate;
    if (sum / x.length < ACTIVE_RMS * ACTIVE_RMS) {
      this.closeRun(false);
      return;
    }
    // The skipped frames on either side count as active too (analysis runs every other frame).
    this.noteActive(Math.max(0, t0 - this.n / this.rate), t1 + this.n / this.rate);
    const ve = this.voices.map((g) => power(g, x));
    let best = 0;
    for (let v = 1; v < ve.length; v++) if ((ve[v] as number) > (ve[best] as number)) best = v;
    const bestE = ve[best] as number;
    if (bestE < VOICE_SHARE * sum) {
      this.closeRun(false);
      return;
    }
    const run = this.run ?? this.openRun();
    run.lastFrame = this.frameIndex;
    ve.forEach((e, v) => (run.voiceEnergy[v] = (run.voiceEnergy[v] as number) + e));
    const le = this.letters.map((band) => band.map((g) => power(g, x)));
    const bandE = le.map((band) => band.reduce((a, b) => a + b, 0));
    const band = (bandE[1] as number) > (bandE[0] as number) ? 1 : 0;
    // A frame across two symbols (or a word's edge) smears its letters: the voice says it is
    // still the word, but only frames that hold one symbol clearly count for the letters.
    if ((bandE[band] as number) < LETTER_SHARE * sum) return;
    // What no tone of this voice and band explains (noise, a second talker, a cut burst) and the
    // other voices' bins count against the voice, like a diarizer's uncertain frames.
    const harmonic = power(this.harmonics[best] as Goertzel, x);
    const unexplained = Math.max(0, sum - bestE - harmonic - (bandE[band] as number));
    const voiceTotal = ve.reduce((a, b) => a + b, 0);
    run.confidence.push(bestE / (voiceTotal + unexplained));
    const slot = run.slots.at(-1);
    const energies = Float64Array.from(le[band] as number[]);
    if (slot && slot.band === band)
      energies.forEach((e, i) => (slot.energy[i] = (slot.energy[i] as number) + e));
    else run.slots.push({ band, energy: energies });
  }

  private noteActive(t0: number, t1: number): void {
    const last = this.active.at(-1);
    if (last && t0 - last.end_s < ACTIVE_JOIN_S) last.end_s = round3(t1);
    else this.active.push({ start_s: round3(t0), end_s: round3(t1) });
    this.activeFrames++;
    for (let i = 0; i < this.frame.length; i++) {
      const sign = (this.frame[i] as number) >= 0 ? 1 : -1;
      if (this.lastSign !== 0 && sign !== this.lastSign) this.crossings++;
      this.lastSign = sign;
    }
  }

  /** The first (or last) sample of the frames f-2..f louder than any noise: a burst's edge. */
  private edge(f: number, last: boolean): number {
    const frames = [f - 2, f - 1, f].filter((i) => i >= 0 && i > this.frameIndex - 3);
    if (last) frames.reverse();
    for (const i of frames) {
      const x = this.ring[i % 3] as Float64Array;
      for (let k = 0; k < x.length; k++) {
        const j = last ? x.length - 1 - k : k;
        if (Math.abs(x[j] as number) > EDGE_LEVEL) return i * this.n + j + (last ? 1 : 0);
      }
    }
    return (last ? f + 1 : f) * this.n;
  }

  private openRun(): WordRun {
    this.run = {
      startSample: this.edge(this.frameIndex, false),
      firstFrame: this.frameIndex,
      lastFrame: this.frameIndex,
      voiceEnergy: new Float64Array(VOICE_COUNT),
      confidence: [],
      slots: [],
    };
    return this.run;
  }

  /** Ends the current word; `atEnd` means the audio ended inside it (so it may be cut). */
  private closeRun(atEnd: boolean): void {
    const run = this.run;
    this.run = null;
    if (!run || atEnd || run.firstFrame === 0) return;
    const endSample = this.edge(this.frameIndex, true);
    const symbols: number[] = [];
    for (const s of run.slots) {
      const order = [...s.energy.keys()].sort((a, b) => (s.energy[b] as number) - (s.energy[a] as number));
      const [a, b] = order as [number, number];
      const id = symbolOf(a, b);
      if (id === null) return;
      symbols.push(id);
    }
    const word = decodeSymbols(symbols);
    if (word === null) return;
    let voice = 0;
    run.voiceEnergy.forEach((e, v) => {
      if (e > (run.voiceEnergy[voice] as number)) voice = v;
    });
    const mean = run.confidence.reduce((a, b) => a + b, 0) / run.confidence.length;
    this.words.push({
      word,
      voice,
      start_s: round3(run.startSample / this.rate),
      end_s: round3(endSample / this.rate),
      confidence: Math.round(Math.min(1, mean) * 10_000) / 10_000,
    });
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
