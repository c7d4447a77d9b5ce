// Reads a multipart/form-data body as it arrives and writes its `file` part straight to disk, so an
// upload of any length is never held in memory: only the small text fields are kept (cut to a few
// KB). A body that grows past the limit, or is not well-formed multipart, ends the read at once.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

export class MultipartTooLarge extends Error {
  constructor() {
    super('the upload grew past the limit');
    this.name = 'MultipartTooLarge';
  }
}

export class MultipartMalformed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartMalformed';
  }
}

export interface ExtractedForm {
  /** The `file` part, when there was one: its client-side name and size on disk. */
  file: { filename: string; bytes: number } | null;
  fields: Record<string, string>;
}

const MAX_HEADERS = 16 * 1024;
const MAX_VALUE = 4096;
const MAX_FIELDS = 64;
const CRLF2 = Buffer.from('\r\n\r\n');

function param(disposition: string, key: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;]+))`, 'i').exec(disposition);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? null);
}

type Sink =
  | { kind: 'file'; out: WriteStream }
  | { kind: 'field'; name: string; chunks: Buffer[]; size: number }
  | { kind: 'skip' };

/**
 * Streams `src` (the request body) through the parser: the first part named `file` goes to
 * `filePath`; other parts with no filename become `fields`. Throws MultipartTooLarge past
 * `maxBytes` (the source is left readable so the caller can drain it), MultipartMalformed for a
 * body that is not multipart with this boundary or ends early, or the source's own error (abort).
 */
export async function extractMultipartFile(
  src: AsyncIterable<Buffer>,
  boundary: string,
  filePath: string,
  maxBytes: number,
): Promise<ExtractedForm> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const form: ExtractedForm = { file: null, fields: {} };
  // Asserted, not narrowed: the step closure changes it behind the loop's back.
  let state = 'preamble' as 'preamble' | 'after' | 'headers' | 'content' | 'done';
  let sink: Sink = { kind: 'skip' };
  let fileOut: WriteStream | null = null;
  let buf: Buffer = Buffer.from('\r\n');
  let total = 0;

  const content = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0) return;
    if (sink.kind === 'file') {
      form.file!.bytes += bytes.length;
      if (!sink.out.write(bytes)) await once(sink.out, 'drain');
    } else if (sink.kind === 'field' && sink.size < MAX_VALUE) {
      sink.chunks.push(bytes);
      sink.size += bytes.length;
    }
  };
  const closePart = async (): Promise<void> => {
    if (sink.kind === 'file') {
      sink.out.end();
      await once(sink.out, 'finish');
    } else if (sink.kind === 'field' && !(sink.name in form.fields)) {
      form.fields[sink.name] = Buffer.concat(sink.chunks).toString('utf8').slice(0, MAX_VALUE);
    }
    sink = { kind: 'skip' };
  };
  const openPart = (headers: string): void => {
    const line = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h));
    const disposition = line ? line.slice(line.indexOf(':') + 1).trim() : '';
    const name = param(disposition, 'name');
    if (name === null) throw new MultipartMalformed('a multipart part has no name');
    const filename = param(disposition, 'filename');
    if (name === 'file' && !form.file) {
      fileOut = createWriteStream(filePath, { flags: 'wx', mode: 0o600 });
      fileOut.on('error', () => undefined); // surfaces through write/finish
      form.file = { filename: filename ?? 'audio', bytes: 0 };
      sink = { kind: 'file', out: fileOut };
    } else if (filename === null && Object.keys(form.fields).length < MAX_FIELDS) {
      sink = { kind: 'field', name, chunks: [], size: 0 };
    } else sink = { kind: 'skip' };
  };

  /** Advances over `buf` as far as it can; true at the closing delimiter. */
  const step = async (): Promise<boolean> => {
    for (;;) {
      if (state === 'done') return true;
      if (state === 'preamble' || state === 'content') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter split across reads.
          const keep = Math.min(buf.length, delimiter.length - 1);
          if (state === 'content') await content(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
          return false;
        }
        if (state === 'content') await content(buf.subarray(0, at));
        await closePart();
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
      } else if (state === 'after') {
        if (buf.length >= 2 && buf.subarray(0, 2).toString() === '--') {
          state = 'done';
          return true;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          if (buf.length >= 256) throw new MultipartMalformed('a multipart delimiter line is malformed');
          return false;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '')
          throw new MultipartMalformed('a multipart delimiter line is malformed');
        buf = buf.subarray(eol + 2);
        state = 'headers';
      } else {
        if (buf.length >= 2 && buf.subarray(0, 2).toString() === '\r\n')
          throw new MultipartMalformed('a multipart part has no headers');
        const end = buf.indexOf(CRLF2);
        if (end < 0) {
          if (buf.length > MAX_HEADERS) throw new MultipartMalformed('multipart part headers are too long');
          return false;
        }
        openPart(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + CRLF2.length);
        state = 'content';
      }
    }
  };

  try {
    for await (const chunk of src) {
      total += chunk.length;
      if (total > maxBytes) throw new MultipartTooLarge();
      if (state === 'done') continue; // the epilogue is read and ignored
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      await step();
    }
    if (state !== 'done')
      throw new MultipartMalformed('the upload ended before the multipart body was complete');
    return form;
  } finally {
    const out = fileOut as WriteStream | null;
    if (out && !out.closed) {
      const closed = once(out, 'close').catch(() => undefined);
      if (!out.writableFinished) out.destroy();
      await closed;
    }
  }
}
