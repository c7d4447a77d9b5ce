// SECRET's rule 2 (secret.ts): whether a run of token characters looks random — a Shannon entropy
// per character of at least ENTROPY_MIN, upper and lower case, frequent changes of character class
// (fewer allowed with a digit), never pure hex; a path judged by its parts.

/** The shortest token run judged (base64/base64url, `=` padding not counted). */
export const TOKEN_MIN = 24;

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
export function looksRandom(token: string, minLength = TOKEN_MIN): boolean {
  if (token.length < minLength || /^[0-9a-fA-F-]+$/.test(token)) return false;
  // A path ("/usr/X11R6/long_file_name", "./src/…") is judged by its parts; base64 that merely
  // contains a '/' is judged whole.
  if (/^(?:\/|~\/|\.\.?\/)/.test(token))
    return token.split('/').some((part) => part.length >= 16 && looksRandom(part, 16));
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token)) return false;
  const transitionsMin = /\d/.test(token) ? TRANSITIONS_MIN : TRANSITIONS_MIN_NO_DIGIT;
  return classTransitions(token) >= transitionsMin && shannonEntropy(token) >= ENTROPY_MIN;
}

const isHexOrDash = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 45;

/**
 * `looksRandom(text.slice(start, end))`, same answer, judged in place: one pass counts the class
 * changes and sees the hex/case/digit tests, and only a run that passes them all is sliced for its
 * entropy (about a dozen runs per 4 KB are long enough, and most are hashes, paths or words).
 * A path is handed to `looksRandom` whole.
 */
export function looksRandomRun(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < TOKEN_MIN) return false;
  const c0 = text.charCodeAt(start);
  const c1 = text.charCodeAt(start + 1);
  // Both characters are in the run (len ≥ 24): the path prefixes /, ~/, ./ and ../.
  if (
    c0 === 47 ||
    (c0 === 126 && c1 === 47) ||
    (c0 === 46 && (c1 === 47 || (c1 === 46 && text.charCodeAt(start + 2) === 47)))
  )
    return looksRandom(text.slice(start, end));
  let hexOnly = true;
  let upper = false;
  let lower = false;
  let digit = false;
  let changes = 0;
  let prev = classOf(c0);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (hexOnly && !isHexOrDash(c)) hexOnly = false;
    const cls = classOf(c);
    if (cls === 0) lower = true;
    else if (cls === 1) upper = true;
    else if (cls === 2) digit = true;
    if (cls !== prev) changes++;
    prev = cls;
  }
  if (hexOnly || !upper || !lower) return false;
  const transitionsMin = digit ? TRANSITIONS_MIN : TRANSITIONS_MIN_NO_DIGIT;
  return changes / (len - 1) >= transitionsMin && shannonEntropy(text.slice(start, end)) >= ENTROPY_MIN;
}
