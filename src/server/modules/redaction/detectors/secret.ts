// SECRET: API keys and tokens. Two ways in:
//  1. Known shapes: OpenAI/Anthropic `sk-…`, GitHub `ghp_/gho_/ghu_/ghs_/ghr_…` and `github_pat_…`,
//     Slack `xox[bpaors]-…`, AWS access key ids `AKIA…/ASIA…`, Google `AIza…`, Hugging Face
//     `hf_…`, GitLab `glpat-…`, JWTs `eyJ….eyJ….…`, the token after `Bearer`, the value in
//     `password=…`/`api_key: …`-style assignments, and PEM private key blocks.
//  2. Random-looking (secret-random.ts): a run of 24+ token characters (base64/base64url, `=` padding) with upper and
//     lower case, a Shannon entropy per character of at least ENTROPY_MIN and frequent changes of
//     character class (TRANSITIONS_MIN), which separates random strings from long words and paths;
//     without a digit the bar is TRANSITIONS_MIN_NO_DIGIT (camelCase identifiers); a path
//     (starting with /, ./, ~/) counts only when one of its parts is random.
//     Pure hex (git SHAs, content hashes, UUIDs) is deliberately NOT flagged by this rule: they
//     are everywhere in engineering text and are identifiers, not credentials; a hex secret is
//     still caught by its prefix or a `secret=`-style assignment.
import type { Detector, Span } from '../engine/types.js';
import { looksRandomRun, TOKEN_MIN } from './secret-random.js';
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
// Dense, one list per ASCII code: assigning a few far indexes of `[]` made a dictionary-mode array.
const LITERALS_BY_INITIAL: string[][] = Array.from({ length: 128 }, () => []);
for (const lit of PREFIX_LITERALS) LITERALS_BY_INITIAL[lit.charCodeAt(0)]!.push(lit);
const BEARER = /\bBearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/g;
// `password = "…"`, `api_key: …`, `"client_secret": "…"`: the value only.
const ASSIGNED =
  /\b(?:api[_-]?key|apikey|secret|client[_-]?secret|access[_-]?token|auth[_-]?token|token|password|passwd|pwd)["']?[ \t]*[:=][ \t]*["']?([^\s"',;]{8,})/gi;
const ASSIGNED_AT = new RegExp(ASSIGNED.source, 'iy');
// Every spelling ASSIGNED's keyword alternation accepts, as (length, first letter, last letter)
// triples: a start is tried only where such a triple fits (lower-cased: the regex's `i` without
// `u` folds ASCII letters only). Gating on the first and last letters separately let most ':' of
// JSON and times through to the sticky regex.
export const KEYWORD_SPELLINGS = [
  'api_key',
  'api-key',
  'apikey',
  'secret',
  'client_secret',
  'client-secret',
  'clientsecret',
  'access_token',
  'access-token',
  'accesstoken',
  'auth_token',
  'auth-token',
  'authtoken',
  'token',
  'password',
  'passwd',
  'pwd',
];
const KEYWORD_LENGTHS = [...new Set(KEYWORD_SPELLINGS.map((k) => k.length))].sort((a, b) => a - b);
/** (length << 16 | first << 8 | last) of each spelling, lower-case. */
const KEYWORD_SHAPES = new Set(
  KEYWORD_SPELLINGS.map((k) => (k.length << 16) | (k.charCodeAt(0) << 8) | k.charCodeAt(k.length - 1)),
);
const KEYWORD_LAST = new Set([...'ytndYTND'].map((c) => c.charCodeAt(0)));
const asciiLower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
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
      const last = text.charCodeAt(e - 1);
      if (!KEYWORD_LAST.has(last)) continue;
      const tail = asciiLower(last);
      for (const len of KEYWORD_LENGTHS) {
        if (e - len < 0) break;
        const head = asciiLower(text.charCodeAt(e - len));
        if (KEYWORD_SHAPES.has((len << 16) | (head << 8) | tail)) starts.push(e - len);
      }
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
// TOKEN_CLASS per UTF-16 code unit (0 for all non-ASCII): 0 not a token character, 1 [A-Za-z0-9_-],
// 2 '+' or '/'; plus SHAPE_INITIAL when a PREFIX_LITERALS entry starts with it. A full-range table
// spares the `c < 128` test on every character.
const SHAPE_INITIAL = 4;
const TOKEN_CLASS = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    t[c] = /[A-Za-z0-9_-]/.test(ch) ? 1 : /[+/]/.test(ch) ? 2 : 0;
  }
  for (const lit of PREFIX_LITERALS) t[lit.charCodeAt(0)]! |= SHAPE_INITIAL;
  return t;
})();

/**
 * One walk over the text: the random-looking token runs go to `out`, and every position where a
 * known shape's literal starts after none of [A-Za-z0-9_-] goes to `shapeStarts`, ascending.
 */
function walkTokens(text: string, out: Span[], shapeStarts: number[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && TOKEN_CLASS[text.charCodeAt(i)] === 0) i++;
    const start = i;
    let mayStartShape = true;
    while (i < n) {
      const k = TOKEN_CLASS[text.charCodeAt(i)]!;
      if (k === 0) break;
      // A plain loop: `lits.some(closure)` allocated a closure at every word starting with one of
      // the initials (s, g, e, h, …), and that garbage was a sixth of this detector's time.
      if (mayStartShape && k >= SHAPE_INITIAL) {
        const lits = LITERALS_BY_INITIAL[text.charCodeAt(i)]!;
        for (let j = 0; j < lits.length; j++)
          if (text.startsWith(lits[j]!, i)) {
            shapeStarts.push(i);
            break;
          }
      }
      mayStartShape = (k & 3) === 2;
      i++;
    }
    if (i - start < TOKEN_MIN) continue;
    const runEnd = i;
    while (i < n && i - runEnd < 2 && text.charCodeAt(i) === 61) i++;
    if (looksRandomRun(text, start, i)) out.push({ start, end: i });
  }
}

const groupSpan = (m: RegExpExecArray): Span => {
  const start = m.index + m[0].length - m[1]!.length;
  return { start, end: start + m[1]!.length };
};

// An all-lower-case value ("password: required") is prose, not a secret.
const acceptAssigned = (m: RegExpExecArray): Span | null => (/^[a-z]+$/.test(m[1]!) ? null : groupSpan(m));

/** The values of `password=…`-style assignments: ASSIGNED tried only where a keyword can end. */
export function findAssigned(text: string): Span[] {
  const starts = assignedStarts(text);
  return starts.length > 0 ? anchoredSpans(ASSIGNED_AT, text, starts, acceptAssigned) : [];
}

/** The same by ASSIGNED's scan of every position: what the tests hold `findAssigned` to. */
export const findAssignedByScan = (text: string): Span[] => regexSpans(ASSIGNED, text, acceptAssigned);

export function findSecrets(text: string): Span[] {
  const random: Span[] = [];
  const shapeStarts: number[] = [];
  walkTokens(text, random, shapeStarts);
  const out = shapeStarts.length > 0 ? anchoredSpans(PREFIXED_AT, text, shapeStarts) : [];
  if (text.includes('Bearer')) out.push(...regexSpans(BEARER, text, groupSpan));
  for (const a of findAssigned(text)) out.push(a);
  if (text.includes('-----BEGIN')) out.push(...regexSpans(PEM, text));
  for (const r of random) out.push(r);
  return out;
}

export const secretDetector = (priority: number): Detector => ({
  type: 'SECRET',
  priority,
  detect: findSecrets,
});
