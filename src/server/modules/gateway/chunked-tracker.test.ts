import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedTracker } from './chunked-tracker.js';
import { decodeChunked } from './http1-head.js';

const chunk = (payload: Buffer, ext = '') =>
  Buffer.concat([Buffer.from(`${payload.length.toString(16)}${ext}\r\n`), payload, Buffer.from('\r\n')]);

/** Splits `buf` at the given fractions (any cut, including inside size lines and CRLFs). */
function cut(buf: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => Math.floor(p * buf.length)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const i of [...at, buf.length]) {
    if (i > from) parts.push(buf.subarray(from, i));
    from = Math.max(from, i);
  }
  return parts;
}

/** Feeds `parts`; what came out, and whether `done` was seen before the last part. */
function track(parts: Buffer[]) {
  const t = new ChunkedTracker();
  const out: Buffer[] = [];
  let doneEarly = false;
  parts.forEach((p, i) => {
    if (t.done && i < parts.length) doneEarly = true;
    const o = t.feed(p);
    if (o) out.push(o);
  });
  return { t, out, doneEarly };
}

describe('ChunkedTracker', () => {
  it('tracks any split of a valid chunked body to the same end, passing whole chunks only', () => {
    const payload = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a));
    const ext = fc.constantFrom('', ';x=1', ' ;name="v"', ';a');
    const trailer = fc.constantFrom('', 'x-t: 1\r\n', 'a: b\r\nc: d\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(payload, ext), { maxLength: 12 }),
        trailer,
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }),
        (chunks, trail, upper, points) => {
          const last = upper ? '000' : '0';
          const body = Buffer.concat([
            ...chunks.map(([p, e]) => chunk(p, e)),
            Buffer.from(`${last}\r\n${trail}\r\n`),
          ]);
          const { t, out, doneEarly } = track(cut(body, points));
          expect(t.failed).toBe(false);
          expect(t.done).toBe(true);
          expect(doneEarly).toBe(false);
          expect(t.extra).toBe(0);
          // Every piece passed on is a run of whole chunks that a fresh tracker accepts as such.
          for (const o of out) {
            const check = new ChunkedTracker();
            expect(check.feed(o)).not.toBeNull();
            expect(check.atBoundary).toBe(true);
            expect(check.failed).toBe(false);
          }
          const sent = decodeChunked(Buffer.concat(out));
          expect(sent.equals(Buffer.concat(chunks.map(([p]) => p)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('passes a read of whole chunks on as the same buffer, and keeps the last chunk back', () => {
    const t = new ChunkedTracker();
    const two = Buffer.concat([chunk(Buffer.from('data: a\n\n')), chunk(Buffer.from('data: b\n\n'))]);
    expect(t.feed(two)).toBe(two);
    expect(t.atBoundary).toBe(true);
    const end = Buffer.concat([chunk(Buffer.from('data: [DONE]\n\n')), Buffer.from('0\r\n\r\n')]);
    const out = t.feed(end);
    expect(out?.toString()).toBe('e\r\ndata: [DONE]\n\n\r\n');
    expect(t.done).toBe(true);
  });

  it('counts bytes after the end (the connection is then not reused)', () => {
    const t = new ChunkedTracker();
    t.feed(Buffer.from('3\r\nabc\r\n0\r\n\r\nHTTP/1.1'));
    expect(t.done).toBe(true);
    expect(t.extra).toBe(8);
    t.feed(Buffer.from('xy'));
    expect(t.extra).toBe(10);
  });

  it('frames a chunk split across reads as chunks of their own, same payload', () => {
    const t = new ChunkedTracker();
    expect(t.feed(Buffer.from('a\r\n01234'))?.toString()).toBe('5\r\n01234\r\n');
    expect(t.atBoundary).toBe(false);
    expect(t.feed(Buffer.from('567'))?.toString()).toBe('3\r\n567\r\n');
    expect(t.feed(Buffer.from('89\r'))?.toString()).toBe('2\r\n89\r\n');
    expect(t.feed(Buffer.from('\n'))).toBeNull();
    expect(t.atBoundary).toBe(true);
  });

  it.each([
    ['a size that is not hex', 'zz\r\nab\r\n', 'without a size'],
    ['an empty size line', '\r\n', 'without a size'],
    ['a size longer than 8 digits', '123456789\r\n', 'longer than 8'],
    ['a size line ended by LF alone', '3\nabc\r\n', 'stray character'],
    ['a chunk longer than its size', '2\r\nabc\r\n', 'longer than its size'],
    ['a chunk ended by CR alone', '2\r\nab\rx', 'not ended by CRLF'],
    ['a stray byte after the size', '3x\r\nabc\r\n', 'stray character'],
  ])('refuses %s as a failed upstream, passing what came before', (_, bad, why) => {
    const t = new ChunkedTracker();
    const good = chunk(Buffer.from('data: x\n\n'));
    const out = t.feed(Buffer.concat([good, Buffer.from(bad)]));
    expect(t.failed).toBe(true);
    expect(t.done).toBe(false);
    expect(t.failure).toContain(why);
    expect(out?.equals(good)).toBe(true);
  });

  it('refuses a malformed size line that arrives in its own read, having passed nothing of it', () => {
    const t = new ChunkedTracker();
    expect(t.feed(Buffer.from('1'))).toBeNull();
    expect(t.feed(Buffer.from('g\r\n'))).toBeNull();
    expect(t.failed).toBe(true);
  });
});
