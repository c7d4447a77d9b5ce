// SECRET: API keys and tokens. Two ways in:
//  1. Known shapes: OpenAI/Anthropic `sk-…`, GitHub `ghp_/gho_/ghu_/ghs_/ghr_…` and `github_pat_…`,
//     Slack `xox[bpaors]-…`, AWS access key ids `AKIA…/ASIA…`, Google `AIza…`, Hugging Face
//     `hf_…`, GitLab `glpat-…`, JWTs `eyJ….eyJ….…`, the token after `Bearer`, the value in
//     `password=…`/`api_key: …`-style assignments, and PEM private key blocks.
//  2. Random-looking: a run of 24+ token characters (base64/base64url, `=` padding) with upper and
//     lower case, a Shannon entropy per character of at least ENTROPY_MIN and frequent changes of
//     character class (TRANSITIONS_MIN), which separates random strings from long words and paths;
//     without a digit the bar is TRANSITIONS_MIN_NO_DIGIT (camelCase identifiers); a path
//     (starting with /, ./, ~/) counts only when one of its parts is random.
//     Pure hex (git SHAs, content hashes, UUIDs) is deliberately NOT flagged by this rule: they
//     are everywhere in engineering text and are identifiers, not credentials; a hex secret is
//     still caught by its prefix or a `secret=`-style assignment.
import type { Detector, Span } from '../engine/types.js';
import { anchoredSpans, regexSpans } from './spans.js';

const PREFIXED = [
  'sk-(?:proj-|ant-(?:api|admin)\\d\\d-|svcacct-|None-)?[A-Za-z0-9_-]{20,}',
  'gh[pousr]_[A-Za-z0-9]{30,}',
  'github_pat_[A-Za-z0-9_]{30,}',
  'xox[bpaors]-[A-Za-z0-9-]{10,}',
  '(?:AKIA|ASIA)[A-Z0-9]{16}',
  'AIza[A-Za-z0-9_-]{35}',
  'hf_[A-Za-z0-9]{30,}',
  'glpat-[A-Za-z0-9_-]{20,}',
  'eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
]
  .map((p) => `(?:${p})`)
  .join('|');
const PREFIXED_RE = new RegExp(`(?<![A-Za-z0-9_-])(?:${PREFIXED})(?![A-Za-z0-9_-])`, 'g');
const PREFIXED_AT = new RegExp(PREFIXED_RE.source, 'y');
// Every known shape starts with one of these literals, right after none of [A-Za-z0-9_-] (the
// lookbehind): the regex is tried only there. Such a position starts a token run or follows a '+'
// or '/' inside one, so the token walk below finds them on its way (ten indexOf passes over the
// text were a third of this detector's time).
const PREFIX_LITERALS = ['sk-', 'gh', 'github_pat_', 'xox', 'AKIA', 'ASIA', 'AIza', 'hf_', 'glpat-', 'eyJ'];
const LITERALS_BY_INITIAL: (string[] | undefined)[] = [];
for (const lit of PREFIX_LITERALS) (LITERALS_BY_INITIAL[lit.charCodeAt(0)] ??= []).push(lit);
const BEARER = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/g;
// `password = "…"`, `api_key: …`, `"client_secret": "…"`: the value only.
const ASSIGNED =
  /\b(?:api[_-]?key|apikey|secret|client[_-]?secret|access[_-]?token|auth[_-]?token|token|password|passwd|pwd)["']?[ \t]*[:=][ \t]*["']?([^\s"',;]{8,})/gi;
const ASSIGNED_AT = new RegExp(ASSIGNED.source, 'iy');
// The keywords' lengths (api_key … client_secret) and their possible first and last letters.
const KEYWORD_LENGTHS = [3, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const KEYWORD_FIRST = new Set([...'ascptASCPT'].map((c) => c.charCodeAt(0)));
const KEYWORD_LAST = new Set([...'ytndYTND'].map((c) => c.charCodeAt(0)));
const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * Where an ASSIGNED match can start: its keyword ends right before an optional quote, blanks and
 * the ':' or '=' — so walk back from each ':'/'=' and try each keyword length there (the sticky
 * regex decides). The regex, tried at every position, was this detector's second cost.
 */
function assignedStarts(text: string): number[] {
  const starts: number[] = [];
  for (const sep of [':', '=']) {
    for (let q = text.indexOf(sep); q >= 0; q = text.indexOf(sep, q + 1)) {
      let e = q;
      while (e > 0 && isBlank(text.charCodeAt(e - 1))) e--;
      const quote = text.charCodeAt(e - 1);
      if (quote === 34 || quote === 39) e--;
      if (!KEYWORD_LAST.has(text.charCodeAt(e - 1))) continue;
      for (const len of KEYWORD_LENGTHS)
        if (e - len >= 0 && KEYWORD_FIRST.has(text.charCodeAt(e - len))) starts.push(e - len);
    }
  }
  if (starts.length < 2) return starts;
  starts.sort((x, y) => x - y);
  return starts.filter((v, i) => i === 0 || v !== starts[i - 1]);
}
const PEM =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
// Token characters [A-Za-z0-9+/_-]. A token run is a maximal run of them, 24 or more long, plus up
// to two '=' of padding — what /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}/g matches, found by
// a table walk: that regex, tried at every position, was this detector's largest cost.
// TOKEN_CLASS: 0 not a token character, 1 [A-Za-z0-9_-], 2 '+' or '/'.
const TOKEN_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    t[c] = /[A-Za-z0-9_-]/.test(ch) ? 1 : /[+/]/.test(ch) ? 2 : 0;
  }
  return t;
})();
const tokenClass = (c: number): number => (c < 128 ? TOKEN_CLASS[c]! : 0);
const TOKEN_MIN = 24;

/**
 * One walk over the text: the random-looking token runs go to `out`, and every position where a
 * known shape's literal starts after none of [A-Za-z0-9_-] goes to `shapeStarts`, ascending.
 */
function walkTokens(text: string, out: Span[], shapeStarts: number[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && tokenClass(text.charCodeAt(i)) === 0) i++;
    const start = i;
    let mayStartShape = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      const cls = tokenClass(c);
      if (cls === 0) break;
      if (mayStartShape) {
        const lits = LITERALS_BY_INITIAL[c];
        if (lits !== undefined && lits.some((lit) => text.startsWith(lit, i))) shapeStarts.push(i);
      }
      mayStartShape = cls === 2;
      i++;
    }
    if (i - start < TOKEN_MIN) continue;
    const runEnd = i;
    while (i < n && i - runEnd < 2 && text.charCodeAt(i) === 61) i++;
    if (looksRandom(text.slice(start, i))) out.push({ start, end: i });
  }
}

export const ENTROPY_MIN = 3.5;
export const TRANSITIONS_MIN = 0.3;
/** Without a digit (camelCase identifiers look like that, ≈ 0.3) case must change more often. */
export const TRANSITIONS_MIN_NO_DIGIT = 0.4;

/** Shannon entropy in bits per character of the string's own character distribution. */
export function shannonEntropy(s: string): number {
  // Counts in a reused array (tokens are ASCII), summed in order of first occurrence as the Map
  // it replaces did, so the result is the same to the last bit.
  const counts = ENTROPY_COUNTS;
  const order: number[] = [];
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      ascii = false;
      break;
    }
    const seen = counts[c]!;
    if (seen === 0) order.push(c);
    counts[c] = seen + 1;
  }
  if (!ascii) {
    for (const c of order) counts[c] = 0;
    return entropyOfMap(s);
  }
  let h = 0;
  for (const c of order) {
    const p = counts[c]! / s.length;
    h -= p * Math.log2(p);
    counts[c] = 0;
  }
  return h;
}
const ENTROPY_COUNTS = new Int32Array(128);

function entropyOfMap(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const classOf = (c: number): number =>
  c >= 97 && c <= 122 ? 0 : c >= 65 && c <= 90 ? 1 : c >= 48 && c <= 57 ? 2 : 3;

/**
 * How often consecutive characters change class (lower/upper/digit/other), per character pair.
 * Random base62/64 changes about 6 times in 10; words, paths and camelCase identifiers rarely
 * (`/usr/X11R6/absentmindedly_nor` ≈ 0.2) — long natural runs reach a random-looking entropy,
 * this tells them apart.
 */
export function classTransitions(s: string): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (classOf(s.charCodeAt(i)) !== classOf(s.charCodeAt(i - 1))) n++;
  return s.length > 1 ? n / (s.length - 1) : 0;
}

/** A random-looking token: see rule 2 above. */
export function looksRandom(token: string, minLength = 24): boolean {
  if (token.length < minLength || /^[0-9a-fA-F-]+$/.test(token)) return false;
  // A path ("/usr/X11R6/long_file_name", "./src/…") is judged by its parts; base64 that merely
  // contains a '/' is judged whole.
  if (/^(?:\/|~\/|\.\.?\/)/.test(token))
    return token.split('/').some((part) => part.length >= 16 && looksRandom(part, 16));
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token)) return false;
  const transitionsMin = /\d/.test(token) ? TRANSITIONS_MIN : TRANSITIONS_MIN_NO_DIGIT;
  return classTransitions(token) >= transitionsMin && shannonEntropy(token) >= ENTROPY_MIN;
}

const groupSpan = (m: RegExpExecArray): Span => {
  const start = m.index + m[0].length - m[1]!.length;
  return { start, end: start + m[1]!.length };
};

export function findSecrets(text: string): Span[] {
  const random: Span[] = [];
  const shapeStarts: number[] = [];
  walkTokens(text, random, shapeStarts);
  const out = shapeStarts.length > 0 ? anchoredSpans(PREFIXED_AT, text, shapeStarts) : [];
  if (text.includes('Bearer')) out.push(...regexSpans(BEARER, text, groupSpan));
  const assigned = assignedStarts(text);
  if (assigned.length > 0)
    out.push(
      ...anchoredSpans(ASSIGNED_AT, text, assigned, (m) => (/^[a-z]+$/.test(m[1]!) ? null : groupSpan(m))),
    );
  if (text.includes('-----BEGIN')) out.push(...regexSpans(PEM, text));
  for (const r of random) out.push(r);
  return out;
}

export const secretDetector = (priority: number): Detector => ({
  type: 'SECRET',
  priority,
  detect: findSecrets,
});
