import { describe, expect, it } from 'vitest';
import { pcmWav } from '../../../../../test/helpers/wav.js';
import { pcm16Of, pcmBytes, readWav, resample, wavFile } from './wav.js';

describe('speech wav helpers', () => {
  it("finds a WAV's fmt and data chunks past other chunks", () => {
    const fmt = pcmWav(0, { rate: 22050 }).subarray(12, 36);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
    const data = Buffer.from([1, 0, 2, 0]);
    const chunk = Buffer.concat([Buffer.from('data'), Buffer.from([4, 0, 0, 0]), data]);
    const wav = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), fmt, list, chunk]);
    expect(readWav(wav)).toMatchObject({ format: 1, channels: 1, rate: 22050, bits: 16, data });
    expect(Array.from(pcm16Of(wav)?.samples ?? [])).toEqual([1, 2]);
    expect(readWav(Buffer.from('not a wav at all'))).toBeNull();
  });

  it('refuses WAVs that are not 16-bit mono PCM', () => {
    const stereo = pcmWav(0.01);
    stereo.writeUInt16LE(2, 22);
    expect(pcm16Of(stereo)).toBeNull();
  });

  it('resamples 22.05 kHz to 24 kHz keeping the duration and the waveform', () => {
    const wav = pcmWav(1, { rate: 22050, hz: 300 });
    const pcm = pcm16Of(wav);
    expect(pcm?.rate).toBe(22050);
    const out = resample(pcm?.samples ?? new Int16Array(), 22050, 24000);
    expect(out.length).toBe(24000);
    // The same sine, now at 24 kHz: sample i is sin(2π·300·i/24000) × 8000, within interpolation error.
    for (const i of [10, 1000, 12345, 23999])
      expect(Math.abs((out[i] ?? 0) - 8000 * Math.sin((2 * Math.PI * 300 * i) / 24000))).toBeLessThan(60);
    expect(resample(out, 24000, 24000)).toBe(out);
  });

  it('writes little-endian samples and a WAV that reads back', () => {
    const samples = Int16Array.from([1, -2, 32767, -32768]);
    const bytes = pcmBytes(samples);
    expect([...bytes]).toEqual([1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]);
    const back = pcm16Of(wavFile(bytes, 24000));
    expect(back?.rate).toBe(24000);
    expect(Array.from(back?.samples ?? [])).toEqual([1, -2, 32767, -32768]);
  });
});
