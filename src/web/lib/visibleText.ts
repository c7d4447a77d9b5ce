// Commands and arguments shown in the dashboard must never hide characters: a C1 control such as
// U+0085, a bidi override or a zero-width space renders as nothing (or reorders the text) and once
// disguised an injection in a launch command. Such characters become visible escapes (`\u0085`),
// which the components render in a distinct style. Pure, so it is tested without a browser.

export interface TextSegment {
  text: string;
  /** True for an escape standing for one invisible character (`code` names it). */
  hidden: boolean;
  code?: string;
}

/** Controls (C0, DEL, C1), format characters, line/paragraph separators, odd spaces, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]|(?! )\p{Zs}/u;

const codeOf = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const escapeOf = (cp: number) =>
  cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;

/** Splits `s` into printable runs and one escape per invisible character; `multiline` keeps `\n` and tabs. */
export function visibleSegments(s: string, multiline = false): TextSegment[] {
  const out: TextSegment[] = [];
  let run = '';
  for (const ch of s) {
    if (!INVISIBLE.test(ch) || (multiline && (ch === '\n' || ch === '\t'))) {
      run += ch;
      continue;
    }
    if (run) out.push({ text: run, hidden: false });
    run = '';
    const cp = ch.codePointAt(0)!;
    out.push({ text: escapeOf(cp), hidden: true, code: codeOf(cp) });
  }
  if (run || out.length === 0) out.push({ text: run, hidden: false });
  return out;
}

/** The same as plain text (for copying, titles and tests). */
export function visibleText(s: string, multiline = false): string {
  return visibleSegments(s, multiline)
    .map((x) => x.text)
    .join('');
}

/** Args joined for display; an arg with a space or that is empty is shown quoted so words stay apart. */
export function displayArgs(args: readonly string[]): string {
  return args.map((a) => (a === '' || /\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
