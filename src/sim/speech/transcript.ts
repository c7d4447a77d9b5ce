// The fake Parakeet's "recognition": deterministic words spread over the audio's duration, in the
// shapes OpenAI's verbose_json uses (words with start/end, Whisper-style segments). Like the
// Spark-hosted Parakeet (and unlike some builds), words carry no leading spaces.

export interface Word {
  word: string;
  start: number;
  end: number;
}

export interface Segment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

/** What gets "heard" when nothing better is known: a meeting, looped from a seed-chosen word. */
const PASSAGE = (
  "Okay, I'm recording right now. Thanks everyone for joining the call this morning. " +
  'First item on the agenda is the model swap we scheduled for tonight. ' +
  'The new checkpoint finished downloading on both Sparks, so we can load it after the demo. ' +
  'Can you check that the speech services are still healthy? ' +
  'Yes, Parakeet and Magpie both answered the last probe, and the queue is empty. ' +
  'Great, then the second item is the budget for the next quarter. ' +
  "We're mostly fine, but the storage line is higher than we planned. " +
  "Let's revisit that on Thursday when the numbers are final. Anything else before we wrap up? " +
  "No, that's everything from my side. Thanks, talk to you tomorrow."
).split(' ');

const WORDS_PER_SECOND = 2.5;

/** FNV-1a, 32 bit: a small stable hash for picking words and scores. */
export function fnv1a(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Words and segments for audio of `duration` seconds. `known` is the text when the audio is known
 * (Magpie synthesised it); otherwise the passage is read from a position chosen by `seed`.
 */
export function recognise(
  duration: number,
  seed: number,
  known: string | undefined,
  silent: boolean,
): { text: string; words: Word[]; segments: Segment[] } {
  let tokens: string[];
  if (silent || duration < 0.4) tokens = [];
  else if (known !== undefined) tokens = known.split(/\s+/).filter(Boolean);
  else {
    const n = Math.max(1, Math.floor(duration * WORDS_PER_SECOND));
    tokens = Array.from({ length: n }, (_, i) => PASSAGE[(seed + i) % PASSAGE.length] as string);
  }
  const lead = Math.min(0.2, duration * 0.02);
  const slot = tokens.length > 0 ? (duration - 2 * lead) / tokens.length : 0;
  const words = tokens.map((word, i) => {
    const start = round2(lead + i * slot);
    return { word, start, end: Math.min(round2(start + slot * 0.85), Math.floor(duration * 100) / 100) };
  });
  return { text: tokens.join(' '), words, segments: segmentsOf(words) };
}

/** Words the ear read from simulated meeting audio, in the same shapes. */
export function recogniseHeard(heard: { word: string; start_s: number; end_s: number }[]): {
  text: string;
  words: Word[];
  segments: Segment[];
} {
  const words = heard.map((w) => ({ word: w.word, start: round2(w.start_s), end: round2(w.end_s) }));
  return { text: words.map((w) => w.word).join(' '), words, segments: segmentsOf(words) };
}

/** Sentences (or runs of at most 20 words) as Whisper-style segments with stable scores. */
function segmentsOf(words: Word[]): Segment[] {
  const groups: Word[][] = [];
  let cur: Word[] = [];
  for (const w of words) {
    cur.push(w);
    if (/[.?!]$/.test(w.word) || cur.length >= 20) {
      groups.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) groups.push(cur);
  return groups.map((g, id) => {
    const text = g.map((w) => w.word).join(' ');
    const h = fnv1a(text);
    const start = g[0]?.start ?? 0;
    return {
      id,
      seek: Math.floor(start / 30) * 3000,
      start,
      end: g.at(-1)?.end ?? start,
      text: ` ${text}`,
      tokens: g.map((w) => 1000 + (fnv1a(w.word) % 49_000)),
      temperature: 0.0,
      avg_logprob: -Math.round((0.08 + (h % 30) / 100) * 10_000) / 10_000,
      compression_ratio: Math.round((1.15 + (h % 45) / 100) * 10_000) / 10_000,
      no_speech_prob: Math.round((0.001 + (h % 40) / 1000) * 10_000) / 10_000,
    };
  });
}

/** OpenAI's verbose_json `language` is the language's English name. */
export function languageName(code: string | undefined): string {
  const names: Record<string, string> = {
    en: 'english',
    de: 'german',
    fr: 'french',
    es: 'spanish',
    it: 'italian',
    ja: 'japanese',
    zh: 'chinese',
    vi: 'vietnamese',
    hi: 'hindi',
  };
  const base = (code ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return names[base] ?? base;
}
