// ASR tokens → one line of text. Parakeet returns words without leading spaces, Whisper-style models
// with them (" hello", ","); either way the result is the same: single spaces between words, none
// before punctuation, nothing at either end.

/** Punctuation that attaches to the word before it. */
const ATTACHING = '.,:;!?…';
const SPACE_BEFORE_PUNCTUATION = new RegExp(`\\s+([${ATTACHING}])`, 'gu');
/** What is left to fix after joining: whitespace other than single spaces, or before punctuation. */
const NEEDS_NORMALISING = new RegExp(`[^\\S ]|\\s[\\s${ATTACHING}]`, 'u');

export function joinTokens(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) {
    const t = token.trim();
    if (t === '') continue;
    out = out === '' || ATTACHING.includes(t[0]!) ? out + t : `${out} ${t}`;
  }
  // Whitespace inside a token (a tab, a double space, "word ,") is rare: fixed only when present,
  // since this runs for every block of a 90-minute transcript.
  return NEEDS_NORMALISING.test(out)
    ? out.replace(/\s+/gu, ' ').replace(SPACE_BEFORE_PUNCTUATION, '$1')
    : out;
}
