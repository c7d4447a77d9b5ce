import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pcm16Wav } from '../../../sim/wav.js';
import { cutWav, probeWav } from './wav-file.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ramp = (n: number) => Int16Array.from({ length: n }, (_, i) => i - 32768 + (i % 7));

describe('probeWav / cutWav', () => {
  it('reads the layout from the header and cuts frame-exact byte ranges', async () => {
    const samples = ramp(8000 * 3); // 3 s at 8 kHz
    const src = join(dir, 'a.wav');
    writeFileSync(src, pcm16Wav(samples, 8000));
    const w = await probeWav(src);
    if (!w || typeof w === 'string') throw new Error(`not read: ${String(w)}`);
    expect(w).toMatchObject({
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: 16,
      dataOffset: 44,
      duration: 3,
    });
    const out = join(dir, 'cut.wav');
    await cutWav(src, w, { startS: 1, endS: 2.5 }, out);
    const cut = await probeWav(out);
    if (!cut || typeof cut === 'string') throw new Error('cut not read');
    expect(cut.duration).toBe(1.5);
    const got = readFileSync(out).subarray(44);
    expect(got.equals(Buffer.from(samples.buffer, 8000 * 2, 12000 * 2))).toBe(true);
  });

  it('says what is wrong with a broken WAV and null for non-WAV bytes', async () => {
    const full = pcm16Wav(ramp(800), 8000);
    const cases: [string, Buffer, RegExp | null][] = [
      ['truncated', full.subarray(0, 400), /truncated/],
      ['header only', full.subarray(0, 30), /truncated/],
      ['no samples', pcm16Wav(new Int16Array(0), 8000), /no audio/],
      ['mp3', Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00more bytes'), null],
    ];
    for (const [name, bytes, want] of cases) {
      const p = join(dir, `${name}.bin`);
      writeFileSync(p, bytes);
      const got = await probeWav(p);
      if (want === null) expect(got, name).toBeNull();
      else expect(got, name).toMatch(want);
    }
  });
});
