// The placeholder spellings models produce, matched one position at a time so that the one-shot
// rehydrate and the streaming rehydrator run the very same decisions (the streaming one simply
// stops where a decision needs text that has not arrived yet).
//
// Tolerated (case-insensitive; K = the canonical `TYPE_N` without brackets, e.g. CREDIT_CARD_1):
// - bracketed: `[` + spaces/tabs + K with each `_` written as `_`, `\_`, `-` or one space
//   + spaces/tabs + `]`  →  `[email_1]`, `[ Email 1 ]`, `[CREDIT-CARD-1]`, `[EMAIL\_1]`;
// - bare: a whole identifier run (letters, marks, digits, `_`) equal to `_*` K `_*` in upper case,
//   e.g. `EMAIL_1`, `__EMAIL_1__`; `email_1` (a JSON key or a variable in the user's own text is
//   far likelier than a model lower-casing a bare placeholder), `MY_EMAIL_1`, `EMAIL_12x` and
//   `HTTP_2` (unless the task has it) are not. Bracketed spellings stay case-insensitive.
// Markdown emphasis around a placeholder (`**[EMAIL_1]**`, `_[EMAIL_1]_`, `` `EMAIL_1` ``) stays
// around the restored value: the model meant the value emphasised. Only placeholders the task
// knows are replaced; everything else is left exactly as it is.
// Not tolerated, on purpose: `\[` before a placeholder (it would eat a real backslash in
// `CORP\[PERSON_1]`, breaking the byte-exact round trip), a bare `EMAIL 1` (that is prose), and
// emphasis inside the brackets (`[**EMAIL_1**]`). Text that already spells one of its own task's
// placeholders (say, a literal `email_1` next to a scrubbed address) comes back with the value there.
import type { PlaceholderTable } from './types.js';

/** A match is given up past this many code units (so a held suffix stays short). */
export const MAX_CANDIDATE = 96;
export const NO = -1;
export const MORE = -2;

/** The task's canonical keys and all their prefixes: lets the streamer give up early. */
export interface PlaceholderIndex {
  keys: Set<string>;
  prefixes: Set<string>;
}

export function buildIndex(table: PlaceholderTable): PlaceholderIndex | null {
  if (!table.entries) return null;
  const keys = new Set<string>();
  const prefixes = new Set<string>(['']);
  for (const { placeholder } of table.entries()) {
    const key = placeholder.slice(1, -1);
    keys.add(key);
    for (let i = 1; i <= key.length; i++) prefixes.add(key.slice(0, i));
  }
  return { keys, prefixes };
}

const UNICODE_IDENT = /^[\p{L}\p{M}\p{N}_]/u;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
export const isAsciiLetter = (c: number) => isUpper(c) || isLower(c);
const isAlnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c);
const isSpace = (c: number) => c === 32 || c === 9;
const upper = (c: number) => String.fromCharCode(isLower(c) ? c - 32 : c);

/** Is the code unit at `i` part of an identifier run (Unicode letters, marks, digits, `_`)? */
export function isIdentAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAlnum(c) || c === 95;
  return UNICODE_IDENT.test(text.slice(i, i + 2));
}

/** The same question for the code point that ends just before `i`. */
export function identBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return isIdentAt(text, i - 2);
  return isIdentAt(text, i - 1);
}

const B_LEAD = 0,
  B_SEG = 1,
  B_SEP = 2,
  B_SPACE = 3,
  B_ESC = 4,
  B_TRAIL = 5;
const W_SEG = 0,
  W_UNDER = 1,
  W_TRAIL = 2;

/**
 * Decides whether a placeholder starts at a position. `final` says the text ends where it ends;
 * otherwise reaching its end returns MORE. On a match the result is its end and `value`, `lead`,
 * `trail` (emphasis underscores kept around the value) are set; on NO, `resume` is where the
 * caller's scan continues.
 */
export class Matcher {
  value = '';
  lead = 0;
  trail = 0;
  resume = 0;

  constructor(
    private readonly table: PlaceholderTable,
    private readonly index: PlaceholderIndex | null,
  ) {}

  private viable(norm: string): boolean {
    return !this.index || this.index.prefixes.has(norm);
  }

  private complete(norm: string): boolean {
    return !this.index || this.index.keys.has(norm);
  }

  private no(resume: number): number {
    this.resume = resume;
    return NO;
  }

  private found(norm: string, end: number, lead: number, trail: number, resume: number): number {
    const value = this.table.valueOf(`[${norm}]`);
    if (value === undefined) return this.no(resume);
    this.value = value;
    this.lead = lead;
    this.trail = trail;
    return end;
  }

  /** `text[i]` is `[`. */
  bracket(text: string, i: number, final: boolean): number {
    let norm = '';
    let state = B_LEAD;
    for (let p = i + 1; ; p++) {
      if (p >= text.length) return final ? this.no(i + 1) : MORE;
      if (p - i > MAX_CANDIDATE) return this.no(i + 1);
      const c = text.charCodeAt(p);
      if (c === 93 && (state === B_SEG || state === B_SPACE || state === B_TRAIL))
        return this.found(norm, p + 1, 0, 0, i + 1);
      if (isAlnum(c) && state !== B_TRAIL && state !== B_ESC) {
        norm += state === B_SPACE ? `_${upper(c)}` : upper(c);
        state = B_SEG;
      } else if (isSpace(c) && (state === B_LEAD || state === B_TRAIL)) {
        continue;
      } else if (isSpace(c) && state === B_SEG) {
        state = B_SPACE; // a separator or the trailing padding: the next character tells
        if (!this.viable(`${norm}_`) && !this.complete(norm)) return this.no(i + 1);
        continue;
      } else if (isSpace(c) && state === B_SPACE) {
        state = B_TRAIL;
        if (!this.complete(norm)) return this.no(i + 1);
        continue;
      } else if ((c === 95 || c === 45) && state === B_SEG) {
        norm += '_';
        state = B_SEP;
      } else if (c === 92 && state === B_SEG) {
        state = B_ESC; // `\_`, markdown's escaped underscore
        continue;
      } else if (c === 95 && state === B_ESC) {
        norm += '_';
        state = B_SEP;
      } else {
        return this.no(i + 1);
      }
      if (!this.viable(norm)) return this.no(i + 1);
    }
  }

  /** `text[i]` is an ASCII letter or `_` that starts an identifier run. */
  bare(text: string, i: number, final: boolean): number {
    // Quick reject (most words): a bare placeholder ends in `_<digits>`; a run that has ended
    // without `_` before a digit is none. Everything up to its end is known, so this holds mid-stream.
    let q = i;
    let underDigit = false;
    for (let c = text.charCodeAt(q); q < text.length; c = text.charCodeAt(++q)) {
      if (c === 95) underDigit ||= isDigit(text.charCodeAt(q + 1));
      else if (!isAlnum(c)) break;
    }
    if (!underDigit && q < text.length) return this.no(q);
    let p = i;
    while (p < text.length && text.charCodeAt(p) === 95 && p - i <= MAX_CANDIDATE) p++;
    const lead = p - i;
    if (p >= text.length) return final ? this.no(p) : MORE;
    if (!isUpper(text.charCodeAt(p))) return this.no(Math.max(p, i + 1));
    let norm = upper(text.charCodeAt(p));
    let state = W_SEG;
    let digitsOnly = false;
    let sawSep = false;
    let trail = 0;
    if (!this.viable(norm)) return this.no(p + 1);
    for (p = p + 1; ; p++) {
      if (p - i > MAX_CANDIDATE) return this.no(p);
      const atEnd = p >= text.length;
      if (atEnd && !final) return MORE;
      const c = atEnd ? -1 : text.charCodeAt(p);
      // A code point split across chunks: its second half decides whether the run goes on.
      if (!final && c >= 0xd800 && c <= 0xdbff && p + 1 >= text.length) return MORE;
      if (!atEnd && isLower(c)) return this.no(p + 1); // bare spellings are upper case only
      if (!atEnd && isAlnum(c) && state !== W_TRAIL) {
        if (state === W_UNDER) {
          norm += '_';
          sawSep = true;
          digitsOnly = true;
        }
        norm += upper(c);
        digitsOnly &&= isDigit(c);
        state = W_SEG;
        if (!this.viable(norm)) return this.no(p + 1);
      } else if (c === 95 && state !== W_SEG) {
        state = W_TRAIL;
        trail += 1;
        if (!this.complete(norm)) return this.no(p + 1);
      } else if (c === 95) {
        state = W_UNDER;
        trail = 1;
        if (!this.viable(`${norm}_`) && !this.complete(norm)) return this.no(p + 1);
      } else if (!atEnd && isIdentAt(text, p)) {
        return this.no(p); // the run goes on with something no placeholder holds
      } else {
        if (!sawSep || !digitsOnly) return this.no(p);
        return this.found(norm, p, lead, state === W_SEG ? 0 : trail, p);
      }
    }
  }
}
