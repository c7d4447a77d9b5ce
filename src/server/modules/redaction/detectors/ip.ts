// IP: IPv4 dotted quads with valid octets and IPv6 in every RFC 4291 form (full, `::`-compressed,
// with an embedded IPv4 tail). Accepted false positive: a four-part version "1.2.3.4" is
// indistinguishable from an address and is redacted; three-part versions ("1.2.3"), "v1.2.3.4"
// and five-part runs are not. IPv6 needs at least one digit, so `Foo::Bar`/`dead::beef` in code
// stay, and times (12:30:45) or MAC addresses are not valid IPv6 at all.
import { isIPv6 } from 'node:net';
import type { Detector, Span } from '../engine/types.js';
import { regexSpans } from './spans.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
// Runs of hex digits, colons and dots that start a run; checked with node's own parser.
const IPV6_RUN = /(?<![\w:.])[0-9A-Fa-f:.]{2,}(?![\w:])/g;

export function findIpv4(text: string): Span[] {
  return regexSpans(IPV4, text);
}

export function findIpv6(text: string): Span[] {
  if (!text.includes(':')) return [];
  return regexSpans(IPV6_RUN, text, (m) => {
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
  const v4 = findIpv4(text).filter((a) => !v6.some((b) => a.start >= b.start && a.end <= b.end));
  return [...v4, ...v6];
}

export const ipDetector = (priority: number): Detector => ({ type: 'IP', priority, detect: findIps });
