// IP: IPv4 dotted quads with valid octets and IPv6 in every RFC 4291 form (full, `::`-compressed,
// with an embedded IPv4 tail). Accepted false positive: a four-part version "1.2.3.4" is
// indistinguishable from an address and is redacted; three-part versions ("1.2.3"), "v1.2.3.4"
// and five-part runs are not. IPv6 needs at least one digit, so `Foo::Bar`/`dead::beef` in code
// stay, and times (12:30:45) or MAC addresses are not valid IPv6 at all.
import { isIPv6 } from 'node:net';
import type { Detector, Span } from '../engine/types.js';
import { anchoredSpans } from './spans.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
// Runs of hex digits, colons and dots that start a run; checked with node's own parser.
const IPV6_RUN = /(?<![\w:.])[0-9A-Fa-f:.]{2,}(?![\w:])/g;

const IPV4_AT = new RegExp(IPV4.source, 'y');
const IPV6_AT = new RegExp(IPV6_RUN.source, 'y');
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexColonDot = (c: number): boolean =>
  isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 58 || c === 46;

/**
 * Where an IPv4 match can start: its first dot has a digit on each side, and (the lookbehind)
 * it starts where that digit run starts. So: one start per digit-dot-digit, found by walking
 * back — the regex is not tried at every digit of the text.
 */
function ipv4Starts(text: string): number[] {
  // Arrays, not generators: a generator's resume per '.' and ':' of the text cost more than the
  // checks it yields to (both are walked for every text; most of their hits are prose and JSON).
  const starts: number[] = [];
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    if (dot === 0 || !isDigit(text.charCodeAt(dot - 1)) || !isDigit(text.charCodeAt(dot + 1))) continue;
    let s = dot - 1;
    while (s > 0 && isDigit(text.charCodeAt(s - 1))) s--;
    starts.push(s);
  }
  return starts;
}

/**
 * Where an accepted IPv6 run can start: the lookbehind allows only the start of a run of hex
 * digits, colons and dots, and a run without a colon is never accepted (two are needed). So:
 * the start of each such run that holds a colon.
 */
function ipv6Starts(text: string): number[] {
  const starts: number[] = [];
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let s = colon;
    while (s > 0 && isHexColonDot(text.charCodeAt(s - 1))) s--;
    starts.push(s);
    while (colon + 1 < text.length && isHexColonDot(text.charCodeAt(colon + 1))) colon++;
  }
  return starts;
}

export function findIpv4(text: string): Span[] {
  const starts = ipv4Starts(text);
  return starts.length > 0 ? anchoredSpans(IPV4_AT, text, starts) : [];
}

export function findIpv6(text: string): Span[] {
  if (!text.includes(':')) return [];
  return anchoredSpans(IPV6_AT, text, ipv6Starts(text), (m) => {
    let raw = m[0];
    // A sentence's full stop or a list's colon may end the run.
    while (raw.endsWith('.') || (raw.endsWith(':') && !raw.endsWith('::'))) raw = raw.slice(0, -1);
    if (raw.length > 45 || raw.indexOf(':') === raw.lastIndexOf(':') || !/\d/.test(raw)) return null;
    return isIPv6(raw) ? { start: m.index, end: m.index + raw.length } : null;
  });
}

export function findIps(text: string): Span[] {
  const v6 = findIpv6(text);
  // An IPv4 tail of an IPv6 address (::ffff:192.0.2.1) is part of that one address.
  const v4 = findIpv4(text);
  if (v6.length === 0) return v4;
  const out = v4.filter((a) => !v6.some((b) => a.start >= b.start && a.end <= b.end));
  for (const b of v6) out.push(b);
  return out;
}

export const ipDetector = (priority: number): Detector => ({ type: 'IP', priority, detect: findIps });
