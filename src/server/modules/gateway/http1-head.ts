// The few HTTP/1.1 pieces the splice relay (splice-relay.ts) reads by hand: a response's status
// line and headers, and a whole chunked body (an error answer) decoded. Anything that does not
// parse is reported as such: the relay then answers as for an upstream that broke off.
import type { IncomingHttpHeaders } from 'node:http';

export interface ResponseHead {
  status: number;
  headers: IncomingHttpHeaders;
  /** The connection may carry another request after this response (HTTP/1.1, no `close`). */
  keepAlive: boolean;
  /** Bytes of the head, up to and with the blank line. */
  length: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
/** A head bigger than this is not vLLM's (undici's own limit is 16 KiB by default). */
export const MAX_HEAD = 64 * 1024;

/**
 * The response head at the start of `buf`: null while incomplete, an Error when it is not a head.
 * Interim 1xx answers are skipped (their length counts in `length`).
 */
export function parseHead(buf: Buffer): ResponseHead | Error | null {
  let from = 0;
  for (;;) {
    const end = buf.indexOf(HEAD_END, from);
    if (end < 0) return buf.length - from > MAX_HEAD ? new Error('a response head too long') : null;
    const lines = buf.toString('latin1', from, end).split('\r\n');
    const m = STATUS_LINE.exec(lines[0]!);
    if (!m) return new Error('a malformed status line');
    const status = Number(m[2]);
    if (status >= 100 && status < 200) {
      from = end + 4;
      continue;
    }
    const headers: IncomingHttpHeaders = {};
    for (const line of lines.slice(1)) {
      const h = HEADER_LINE.exec(line);
      if (!h) return new Error('a malformed header line');
      const name = h[1]!.toLowerCase();
      const prior = headers[name];
      headers[name] = prior === undefined ? h[2]! : `${String(prior)}, ${h[2]!}`;
    }
    const connection = String(headers.connection ?? '').toLowerCase();
    const keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    return { status, headers, keepAlive, length: end + 4 };
  }
}

/** The payload of a complete, well-formed chunked body (as ChunkedTracker passed it). */
export function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const lineEnd = body.indexOf('\r\n', i, 'latin1');
    if (lineEnd < 0) break;
    const size = parseInt(body.toString('latin1', i, lineEnd).split(';')[0]!.trim(), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    i = lineEnd + 2 + size + 2;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
