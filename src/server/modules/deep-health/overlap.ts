// The speech loopback's verdict (SPEC §8): how much of the spoken phrase came back as words.

/** Lower-case words without punctuation ("Hello, world!" → ["hello", "world"]). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
}

/**
 * Share (0–1) of the phrase's words found in what was heard, each heard word matching at most once
 * (so "the the the" does not cover three different "the"s). Order is ignored: ASR may split or
 * join words differently, and the check is whether both services work, not transcription quality.
 */
export function wordOverlap(phrase: string, heard: string): number {
  const want = words(phrase);
  if (want.length === 0) return 0;
  const pool = new Map<string, number>();
  for (const w of words(heard)) pool.set(w, (pool.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of want) {
    const n = pool.get(w) ?? 0;
    if (n > 0) {
      hit++;
      pool.set(w, n - 1);
    }
  }
  return hit / want.length;
}

export const LOOPBACK_PASS = 0.6;
