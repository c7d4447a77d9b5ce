import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcmWav } from '../../../../../test/helpers/wav.js';
import { AppError } from '../../../platform/http/errors.js';
import { encodeSpeech } from './encode.js';
import { EncoderSlots } from './encoder-slots.js';
import { EncoderError } from './ffmpeg.js';
import { planSpeech } from './formats.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('EncoderSlots', () => {
  it('runs at most `max` at once and hands a freed slot to the first in line', async () => {
    const slots = new EncoderSlots(2, 5);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((r) => (order.push('c'), r));
    const d = slots.acquire().then((r) => (order.push('d'), r));
    await tick();
    expect([slots.busy, slots.waiting, order]).toEqual([2, 2, []]);
    a();
    a(); // twice: still one slot given back
    const releaseC = await c;
    await tick();
    expect([slots.busy, slots.waiting, order]).toEqual([2, 1, ['c']]);
    b();
    (await d)();
    releaseC();
    expect([slots.busy, slots.waiting, order]).toEqual([0, 0, ['c', 'd']]);
  });

  it('refuses at once with 503 and Retry-After when the line is full', async () => {
    const slots = new EncoderSlots(1, 1);
    await slots.acquire();
    const queued = slots.acquire();
    const refused = await slots.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).headers).toEqual({ 'retry-after': '1' });
    expect((refused as AppError).message).toContain('1 running, 1 waiting');
    expect(slots.waiting).toBe(1);
    void queued;
  });

  it('a waiter whose client leaves gives up its place; an aborted signal never takes a slot', async () => {
    const slots = new EncoderSlots(1, 3);
    const release = await slots.acquire();
    const gone = new AbortController();
    const leaving = slots.acquire(gone.signal).catch((e: unknown) => e);
    const staying = slots.acquire();
    await tick();
    gone.abort();
    expect(await leaving).toBeInstanceOf(EncoderError);
    expect(slots.waiting).toBe(1);
    release();
    (await staying)();
    expect(slots.busy).toBe(0);
    await expect(slots.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(EncoderError);
    expect(slots.busy).toBe(0);
  });

  it('rejects nonsense bounds', () => {
    expect(() => new EncoderSlots(0, 1)).toThrow(RangeError);
    expect(() => new EncoderSlots(1.5, 1)).toThrow(RangeError);
    expect(() => new EncoderSlots(1, -1)).toThrow(RangeError);
  });
});

describe('encodeSpeech with ffmpeg slots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-encoder-slots-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in ffmpeg that notes when it starts and ends, and answers after a moment.
  const log = join(dir, 'runs.log');
  const ffmpeg = join(dir, 'ffmpeg');
  writeFileSync(
    ffmpeg,
    `#!/bin/sh\necho start >> '${log}'\ncat > /dev/null\nsleep 0.2\nprintf mp3\necho end >> '${log}'\n`,
  );
  chmodSync(ffmpeg, 0o755);
  const wav = pcmWav(0.1, { rate: 24_000 });
  const plan = planSpeech('mp3', 1, true);
  const collect = async (gen: AsyncGenerator<Buffer>) => {
    const parts: Buffer[] = [];
    for await (const c of gen) parts.push(c);
    return Buffer.concat(parts).toString();
  };

  it('never runs more ffmpeg processes than slots, frees them when done or when the client leaves', async () => {
    const slots = new EncoderSlots(1, 4);
    const left = new AbortController();
    const leaving = encodeSpeech({ plan, wav, speed: 1, ffmpeg, slots, signal: left.signal });
    const first = leaving.next(); // holds the slot: its ffmpeg runs
    const others = [1, 2].map(() => collect(encodeSpeech({ plan, wav, speed: 1, ffmpeg, slots })));
    await tick();
    expect(slots.waiting).toBe(2);
    left.abort(); // the first client leaves mid-encoding: its ffmpeg is killed, its slot freed
    await first.catch(() => undefined);
    expect(await Promise.all(others)).toEqual(['mp3', 'mp3']);
    expect(slots.busy).toBe(0);
    // The two that waited ran one after the other (the killed first run may have logged its start).
    const runs = readFileSync(log, 'utf8').trim().split('\n');
    expect(runs.slice(-4)).toEqual(['start', 'end', 'start', 'end']);
    expect(runs.length).toBeLessThanOrEqual(5);
  });
});
