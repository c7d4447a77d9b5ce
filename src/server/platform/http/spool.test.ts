import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetSpoolDir, Spool, SpoolTooLarge } from './spool.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const chunks = (n: number, size: number) =>
  Readable.from(Array.from({ length: n }, (_, i) => Buffer.alloc(size, i % 256)));

const drain = async (body: Buffer | Readable): Promise<Buffer> => {
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe('Spool', () => {
  it('keeps a small upload in memory and never creates a file', async () => {
    const s = new Spool({ dir, memoryBytes: 1024, limitBytes: 10_000 });
    await s.receive(chunks(4, 100));
    expect(s.filePath).toBeNull();
    expect(Buffer.isBuffer(s.body())).toBe(true);
    expect(s.size).toBe(400);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('moves a larger upload to a 0600 file with every byte in order, removed afterwards', async () => {
    const s = new Spool({ dir, memoryBytes: 1024, limitBytes: 1_000_000 });
    await s.receive(chunks(50, 1000));
    expect(s.filePath).not.toBeNull();
    const path = s.filePath!;
    const body = await drain(s.body());
    expect(body.length).toBe(50_000);
    expect(body[0]).toBe(0);
    expect(body[49_999]).toBe(49);
    expect(readFileSync(path).length).toBe(50_000);
    await s.remove();
    await s.remove();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses an upload past the limit, leaving its source readable for draining', async () => {
    const s = new Spool({ dir, memoryBytes: 1024, limitBytes: 5_000 });
    const src = chunks(10, 1000);
    await expect(s.receive(src)).rejects.toBeInstanceOf(SpoolTooLarge);
    expect(src.destroyed).toBe(false);
    await s.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the file when the source fails mid-upload (abort, timeout)', async () => {
    const s = new Spool({ dir, memoryBytes: 10, limitBytes: 1_000_000 });
    const src = new PassThrough();
    const receiving = s.receive(src);
    src.write(Buffer.alloc(5000));
    await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(dir)).toHaveLength(1);
    src.destroy(new Error('client went away'));
    await expect(receiving).rejects.toThrow('client went away');
    await s.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a file that is still opening when the response closes', async () => {
    const s = new Spool({ dir, memoryBytes: 10, limitBytes: 1_000_000 });
    const src = new PassThrough();
    const receiving = s.receive(src).catch((e: unknown) => e);
    src.write(Buffer.alloc(5000));
    await new Promise((r) => setImmediate(r));
    await s.remove();
    src.end(Buffer.alloc(10));
    expect(await receiving).toBeInstanceOf(Error);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resetSpoolDir empties what a crash left behind', () => {
    const d = join(dir, 'uploads');
    resetSpoolDir(d);
    const s = new Spool({ dir: d, memoryBytes: 0, limitBytes: 100 });
    return s.receive(chunks(1, 50)).then(() => {
      expect(readdirSync(d)).toHaveLength(1);
      resetSpoolDir(d);
      expect(readdirSync(d)).toEqual([]);
    });
  });
});
