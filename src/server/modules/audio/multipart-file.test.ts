import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { extractMultipartFile, MultipartMalformed, MultipartTooLarge } from './multipart-file.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const target = () => join(dir, `f${n++}`);

function form(boundary: string, parts: { name: string; filename?: string; data: string | Buffer }[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const file = p.filename !== undefined ? `; filename="${p.filename}"` : '';
    out.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n\r\n`));
    out.push(Buffer.from(p.data), Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

/** The body cut into pieces of the given sizes (the last piece takes the rest). */
async function* pieces(body: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const s of sizes) {
    if (at >= body.length) return;
    yield body.subarray(at, at + s);
    at += s;
  }
  if (at < body.length) yield body.subarray(at);
}

describe('extractMultipartFile', () => {
  it('writes the file part to disk and keeps the text fields, however the body is split', async () => {
    const audio = Buffer.from('RIFF....WAVE\r\n--not-a-delimiter\r\n' + 'x'.repeat(3000));
    const body = form('b0undary', [
      { name: 'language', data: 'en' },
      { name: 'file', filename: 'meeting.wav', data: audio },
      { name: 'response_format', data: 'srt' },
    ]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 30 }), async (sizes) => {
        const path = target();
        const got = await extractMultipartFile(pieces(body, sizes), 'b0undary', path, 1e6);
        expect(got.file).toEqual({ filename: 'meeting.wav', bytes: audio.length });
        expect(got.fields).toEqual({ language: 'en', response_format: 'srt' });
        expect(readFileSync(path).equals(audio)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a body over the limit, a body cut short and a part without a name', async () => {
    const body = form('b', [{ name: 'file', filename: 'a.wav', data: 'y'.repeat(500) }]);
    await expect(extractMultipartFile(pieces(body, [100]), 'b', target(), 200)).rejects.toBeInstanceOf(
      MultipartTooLarge,
    );
    await expect(
      extractMultipartFile(pieces(body.subarray(0, 300), []), 'b', target(), 1e6),
    ).rejects.toBeInstanceOf(MultipartMalformed);
    const nameless = Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n');
    await expect(extractMultipartFile(pieces(nameless, []), 'b', target(), 1e6)).rejects.toThrow(/no name/);
  });

  it('reports a form without a file part as file: null', async () => {
    const body = form('b', [{ name: 'language', data: 'de' }]);
    const got = await extractMultipartFile(pieces(body, []), 'b', target(), 1e6);
    expect(got).toEqual({ file: null, fields: { language: 'de' } });
  });
});
