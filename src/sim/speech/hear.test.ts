import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWav, type WavInfo } from '../wav.js';
import { hearWav } from './hear.js';
import { writeMeetingWav } from './meeting-audio.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-hear-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wavInfo = (buf: Buffer): WavInfo => {
  const w = parseWav(buf);
  if (typeof w === 'string') throw new Error(w);
  return w;
};

describe('hearing an upload', () => {
  it('hears one upload once when transcription and diarization ask together', async () => {
    const path = join(dir, 'm.wav');
    await writeMeetingWav(path, [{ speaker: 3, text: 'hello there, everyone.' }]);
    const w = wavInfo(readFileSync(path));
    const [a, b] = await Promise.all([hearWav(w), hearWav({ ...w })]);
    expect(a).toBe(b);
    expect(a.words.map((x) => x.word)).toEqual(['hello', 'there,', 'everyone.']);
  });

  it('reads float and stereo WAVs (channel 0) and treats other sample formats as one unknown voice', async () => {
    const path = join(dir, 'f.wav');
    await writeMeetingWav(path, [{ speaker: 0, text: 'stereo float words' }]);
    const pcm = wavInfo(readFileSync(path));
    const n = pcm.data.length / 2;
    const floats = Buffer.alloc(n * 8);
    for (let i = 0; i < n; i++) {
      floats.writeFloatLE(pcm.data.readInt16LE(i * 2) / 32768, i * 8);
      floats.writeFloatLE(0.5, i * 8 + 4); // channel 1: a constant the ear must not listen to
    }
    const stereo: WavInfo = { ...pcm, format: 3, channels: 2, bitsPerSample: 32, data: floats };
    expect((await hearWav(stereo)).words.map((w) => w.word)).toEqual(['stereo', 'float', 'words']);

    const eightBit: WavInfo = {
      ...pcm,
      format: 1,
      bitsPerSample: 8,
      data: Buffer.alloc(16000, 7),
      duration: 1,
    };
    expect(await hearWav(eightBit)).toMatchObject({ words: [], active: [{ start_s: 0, end_s: 1 }] });
    const zero: WavInfo = { ...eightBit, data: Buffer.alloc(16000) };
    expect((await hearWav(zero)).active).toEqual([]);
  });
});
