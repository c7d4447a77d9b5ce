import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, scanMultipart } from './form-scan.js';

const WANTED = new Set(['stream', 'response_format']);

/** A multipart body as undici/curl write it. */
function form(boundary: string, parts: { name: string; filename?: string; data: string | Buffer }[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const file = p.filename !== undefined ? `; filename="${p.filename}"` : '';
    out.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n`));
    if (p.filename !== undefined) out.push(Buffer.from('Content-Type: audio/wav\r\n'));
    out.push(Buffer.from('\r\n'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

/** The same bytes as a stream cut at the given offsets. */
const pieces = (b: Buffer, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, b.length]) {
    out.push(b.subarray(from, c));
    from = c;
  }
  return Readable.from(out.filter((p) => p.length > 0));
};

describe('boundaryOf', () => {
  it('reads a quoted or bare boundary of multipart/form-data only', () => {
    expect(boundaryOf('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf('application/json; boundary=x')).toBeNull();
    expect(boundaryOf('multipart/form-datax; boundary=x')).toBeNull();
  });
});

describe('scanMultipart', () => {
  const audio = Buffer.alloc(5000, 7);
  // A file whose bytes contain the boundary minus its leading CRLF, and CRLFs: not a delimiter.
  audio.write('--XyZ\r\n\r\n--Xy', 100, 'latin1');
  const body = form('XyZ', [
    { name: 'model', data: 'parakeet' },
    // written as is: a backslash-escaped quote inside the quoted filename
    { name: 'file', filename: 'a \\"b\\".wav', data: audio },
    { name: 'stream', data: 'true' },
    { name: 'stream', data: 'false' },
  ]);

  it('lists the parts with their sizes and keeps the wanted fields (first one wins)', async () => {
    const scan = await scanMultipart(body, 'XyZ', WANTED);
    expect(scan?.parts).toEqual([
      { name: 'model', filename: null, size: 8 },
      { name: 'file', filename: 'a "b".wav', size: 5000 },
      { name: 'stream', filename: null, size: 4 },
      { name: 'stream', filename: null, size: 5 },
    ]);
    expect([...scan!.fields]).toEqual([['stream', 'true']]);
  });

  it('reads the same however the stream is cut', async () => {
    const whole = await scanMultipart(body, 'XyZ', WANTED);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
        expect(await scanMultipart(pieces(body, cuts), 'XyZ', WANTED)).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('finds no file part in a form without one, and keeps a long value cut', async () => {
    const scan = await scanMultipart(
      form('b', [
        { name: 'model', data: 'm' },
        { name: 'response_format', data: 'x'.repeat(5000) },
      ]),
      'b',
      WANTED,
    );
    expect(scan?.parts.map((p) => p.name)).toEqual(['model', 'response_format']);
    expect(scan?.fields.get('response_format')).toHaveLength(1024);
  });

  it('refuses what is not multipart with that boundary', async () => {
    const bad = [
      Buffer.from('{"file": "x"}'),
      form('other', [{ name: 'file', filename: 'a', data: 'x' }]),
      // cut before the closing delimiter
      body.subarray(0, body.length - 20),
      // a part without Content-Disposition, and one without headers at all
      Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--'),
      Buffer.from('--b\r\n\r\nx\r\n--b--'),
      // headers that never end
      Buffer.from(`--b\r\nContent-Disposition: form-data; name="a"\r\n${'x'.repeat(20_000)}`),
      // garbage after a delimiter
      Buffer.from('--b junk\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b--'),
    ];
    for (const b of bad) expect(await scanMultipart(b, b.includes('--XyZ') ? 'XyZ' : 'b', WANTED)).toBeNull();
  });

  it('accepts a preamble, transport padding and an unquoted name', async () => {
    const b = Buffer.from(
      'preamble\r\n--b  \r\ncontent-disposition: form-data; name=stream\r\n\r\nTrue\r\n--b--',
    );
    const scan = await scanMultipart(b, 'b', WANTED);
    expect(scan?.fields.get('stream')).toBe('True');
  });
});
