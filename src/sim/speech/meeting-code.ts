// The code the simulator's meeting audio speaks in, shared by the writer (meeting-audio.ts) and the
// fake Parakeet's ear (meeting-decode.ts). Every tone sits on a multiple of 50 Hz, so it completes
// a whole number of cycles in any 20 ms window: a frame cut at an arbitrary sample offset still
// sees each tone alone in its own DFT bin (no leakage), which is what lets any cut of a file be
// decoded. Voices and their second harmonics use disjoint bins, so they never mask a letter.

/** Analysis frames per second (20 ms): every tone below is a multiple of this in Hz. */
export const FRAME_HZ = 50;
/** One symbol (a letter, a digit, a punctuation mark or the capital flag) lasts this long. */
export const SLOT_S = 0.06;
/** Silence between two words of one speaker. */
export const WORD_GAP_S = 0.12;
/** Same-voice words closer than this belong to one turn (writer's timeline and diarizer alike). */
export const TURN_JOIN_GAP_S = 1.0;

/** Voice k's fundamental: 150, 250, … 650 Hz (odd multiples of 50; the harmonic 2f is even). */
export const VOICE_COUNT = 6;
export const voiceHz = (voice: number): number => 150 + 100 * voice;
/** Tone amplitudes, as fractions of full scale. */
export const VOICE_AMP = 0.25;
/** Each voice's timbre: a different amount of second harmonic. */
export const harmonicAmp = (voice: number): number => 0.04 + 0.015 * voice;
export const LETTER_AMP = 0.12;

/**
 * Two letter bands of 14 tones each (odd multiples of 50 Hz, 1050–2350 and 2450–3750, all under
 * the 4 kHz Nyquist of 8 kHz audio). Slot s of a word sounds two tones of band s % 2, so
 * consecutive slots always change band and a doubled letter ("ll") still reads as two.
 */
export const BAND_TONES = 14;
export const letterHz = (band: number, tone: number): number => 1050 + 1400 * band + 100 * tone;

/** The symbols a word can be made of; index 0 is the capital flag (the next letter is upper case). */
const SYMBOLS = ['^', ...'abcdefghijklmnopqrstuvwxyz0123456789.,?!\'-:;…"%&$()/'];
const SYMBOL_INDEX = new Map(SYMBOLS.map((s, i) => [s, i]));
const CAPITAL = 0;

/** Symbol i ↔ the i-th pair (a < b) of tones of a band: 91 pairs for 53 symbols. */
const PAIRS: [number, number][] = [];
for (let a = 0; a < BAND_TONES; a++) for (let b = a + 1; b < BAND_TONES; b++) PAIRS.push([a, b]);
const PAIR_INDEX = new Map(PAIRS.map(([a, b], i) => [a * BAND_TONES + b, i]));

export function symbolTones(symbol: number): [number, number] {
  const pair = PAIRS[symbol];
  if (!pair) throw new RangeError(`no symbol ${symbol}`);
  return pair;
}

/** The symbol two tones of a band stand for, or null when no symbol uses that pair. */
export function symbolOf(a: number, b: number): number | null {
  const i = PAIR_INDEX.get(Math.min(a, b) * BAND_TONES + Math.max(a, b));
  return i !== undefined && i < SYMBOLS.length ? i : null;
}

/** A word as symbols; throws (naming the character) when it holds one the code cannot speak. */
export function encodeWord(word: string): number[] {
  const out: number[] = [];
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const i = SYMBOL_INDEX.get(lower);
    if (i === undefined || ch === '^') {
      throw new Error(`meeting audio cannot speak ${JSON.stringify(ch)} (in ${JSON.stringify(word)})`);
    }
    if (lower !== ch) out.push(CAPITAL);
    out.push(i);
  }
  return out;
}

/** The word back from its symbols; null when they do not make one (e.g. a lone capital flag). */
export function decodeSymbols(symbols: number[]): string | null {
  let word = '';
  let upper = false;
  for (const s of symbols) {
    if (s === CAPITAL) {
      if (upper) return null;
      upper = true;
      continue;
    }
    const ch = SYMBOLS[s];
    if (ch === undefined) return null;
    word += upper ? ch.toUpperCase() : ch;
    upper = false;
  }
  return upper || word === '' ? null : word;
}

/** True when every character of the text can be spoken (letters, digits, common punctuation). */
export function speakable(text: string): boolean {
  try {
    text.split(/\s+/).filter(Boolean).forEach(encodeWord);
    return true;
  } catch {
    return false;
  }
}
