import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';
import { Semaphore } from './semaphore.js';

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.flush();
  return lines;
}

describe('LineSplitter', () => {
  it('handles partial lines, CRLF across chunks, lone CR and UTF-8 split mid-character', () => {
    expect(split(['he', 'llo\nwo', 'rld'])).toEqual(['hello', 'world']);
    expect(split(['a\r', '\nb\r\n', '\n'])).toEqual(['a', 'b', '']);
    expect(split(['10%\r20%\r', 'done\n'])).toEqual(['10%', '20%', 'done']);
    const e = Buffer.from('é');
    expect(split([e.subarray(0, 1), e.subarray(1), Buffer.from('\n')])).toEqual(['é']);
    expect(split([''])).toEqual([]);
    expect(split(['x\n'])).toEqual(['x']);
  });

  it('splits the same way however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const bytes = Buffer.from(text);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        const want = text === '' ? [] : text.split(/\r\n|\r|\n/);
        if (want.length > 0 && want[want.length - 1] === '') want.pop();
        expect(split(chunks)).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Semaphore', () => {
  it('bounds concurrency, serves waiters in order, and drops aborted waiters', async () => {
    const sem = new Semaphore(2);
    const r1 = await sem.acquire();
    const r2 = await sem.acquire();
    const order: number[] = [];
    const p3 = sem.acquire().then((r) => (order.push(3), r));
    const ac = new AbortController();
    const p4 = sem.acquire(ac.signal);
    const p5 = sem.acquire().then((r) => (order.push(5), r));
    expect(sem.waiting).toBe(3);
    ac.abort(new Error('gone'));
    await expect(p4).rejects.toThrow('gone');
    r1();
    r1(); // idempotent: must not free a second slot
    const r3 = await p3;
    expect(sem.inUse).toBe(2);
    r2();
    (await p5)();
    r3();
    expect(order).toEqual([3, 5]);
    expect(sem.inUse).toBe(0);
    await expect(sem.acquire(AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });
});
