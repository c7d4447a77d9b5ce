// ASR tokens → one line of text. Parakeet returns words without leading spaces, Whisper-style models
// with them (" hello", ","); either way the result is the same: single spaces between words, none
// before punctuation, nothing at either end.

/** Punctuation that attaches to the word before it. */
const ATTACHING = '.,:;!?…';
const SPACE_BEFORE_PUNCTUATION = new RegExp(`\\s+([${ATTACHING}])`, 'gu');

export function joinTokens(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) {
    const t = token.trim();
    if (t === '') continue;
    out = out === '' ? t : `${out} ${t}`;
  }
  // Whitespace inside a token (a tab, a double space) is normalised too, then punctuation pulled
  // onto the word before it — also when it arrived inside a token ("word ,").
  return out.replace(/\s+/gu, ' ').replace(SPACE_BEFORE_PUNCTUATION, '$1');
}
