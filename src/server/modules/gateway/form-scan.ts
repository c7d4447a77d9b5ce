// What the gateway reads of a multipart upload before relaying it untouched (transcriptions): the
// parts it holds and the values of a few small fields (`stream`). The body is scanned as it is read
// from the spool — memory or a temp file — so a 200 MB upload is never held whole, and nothing of a
// file part is kept but its size.
import type { Readable } from 'node:stream';

export interface FormPart {
  name: string;
  filename: string | null;
  size: number;
}

export interface FormScan {
  parts: FormPart[];
  /** The values of the wanted fields (first occurrence), cut to MAX_VALUE characters. */
  fields: Map<string, string>;
}

/** Part headers larger than this mean the body is not multipart. */
const MAX_HEADERS = 16 * 1024;
/** Wanted field values are kept up to this size: `stream`, `response_format` are words. */
const MAX_VALUE = 1024;

const CRLF2 = Buffer.from('\r\n\r\n');

/** The `boundary` parameter of a multipart/form-data Content-Type; null when there is none. */
export function boundaryOf(contentType: string): string | null {
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2] ?? null;
}

/** A Content-Disposition parameter (`name`, `filename`), quoted or not. */
function param(disposition: string, key: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;]+))`, 'i').exec(disposition);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? null);
}

function partOf(headers: string): FormPart | null {
  const line = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h));
  if (!line) return null;
  const disposition = line.slice(line.indexOf(':') + 1).trim();
  const name = param(disposition, 'name');
  return name === null ? null : { name, filename: param(disposition, 'filename'), size: 0 };
}

/**
 * The parts of a multipart body and the values of the `wanted` fields; null when the body is not
 * well-formed multipart with this boundary (no opening delimiter, a part without a name, headers
 * that never end, no closing delimiter).
 */
export async function scanMultipart(
  body: Buffer | Readable,
  boundary: string,
  wanted: ReadonlySet<string>,
): Promise<FormScan | null> {
  // The first delimiter has no CRLF before it: one is supplied, so every delimiter looks alike.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const scan: FormScan = { parts: [], fields: new Map() };
  let state: 'preamble' | 'after' | 'headers' | 'content' | 'done' = 'preamble';
  let part: FormPart | null = null;
  let value: Buffer[] | null = null;
  let buf: Buffer = Buffer.from('\r\n');

  const content = (bytes: Buffer): void => {
    if (!part) return;
    part.size += bytes.length;
    if (value && value.reduce((n, b) => n + b.length, 0) < MAX_VALUE) value.push(bytes);
  };
  const closePart = (): void => {
    if (part && value && !scan.fields.has(part.name))
      scan.fields.set(part.name, Buffer.concat(value).toString('utf8').slice(0, MAX_VALUE));
    part = null;
    value = null;
  };
  /** Advances over `buf`: `more` to read on, `done` at the closing delimiter, `bad` when malformed. */
  const step = (): 'more' | 'done' | 'bad' => {
    const wait = (ok: boolean) => (ok ? 'more' : 'bad');
    for (;;) {
      if (state === 'done') return 'done';
      if (state === 'preamble' || state === 'content') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter split across reads.
          const keep = Math.min(buf.length, delimiter.length - 1);
          if (state === 'content') content(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
          return 'more';
        }
        if (state === 'content') content(buf.subarray(0, at));
        closePart();
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
      } else if (state === 'after') {
        // After a delimiter: `--` closes the body; otherwise optional padding, then CRLF.
        const eol = buf.indexOf('\r\n');
        if (buf.length >= 2 && buf.subarray(0, 2).toString() === '--') {
          state = 'done';
          return 'done';
        }
        if (eol < 0) return wait(buf.length < 256);
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') return 'bad';
        buf = buf.subarray(eol + 2);
        state = 'headers';
      } else {
        const end = buf.indexOf(CRLF2);
        const bare = buf.length >= 2 && buf.subarray(0, 2).toString() === '\r\n';
        if (end < 0 && !bare) return wait(buf.length <= MAX_HEADERS);
        // A part with no headers at all starts its blank line at once: it has no name.
        if (bare) return 'bad';
        part = partOf(buf.subarray(0, end).toString('utf8'));
        if (!part) return 'bad';
        scan.parts.push(part);
        value = wanted.has(part.name) && part.filename === null ? [] : null;
        buf = buf.subarray(end + CRLF2.length);
        state = 'content';
      }
    }
  };

  const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(body)
    ? [body]
    : (body as AsyncIterable<Buffer>);
  let outcome: 'more' | 'done' | 'bad' = 'more';
  for await (const chunk of chunks) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    outcome = step();
    if (outcome !== 'more') break;
  }
  // Leaving the loop early closes a file stream; one read to its end is closed already.
  if (!Buffer.isBuffer(body)) (body as Readable).destroy();
  return outcome === 'done' ? scan : null;
}
