import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusal } from '../../../../test/helpers/unit.js';
import { pcm16Wav } from '../../../sim/wav.js';
import { findFfmpeg } from '../gateway/speech/ffmpeg.js';
import { encodeMp3 } from '../gateway/speech/mp3.js';
import { inspectAudio, materializeAudio, sniffContainer } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length };
};

describe('inspectAudio', () => {
  it('reads a WAV natively and says 400 for a broken one', async () => {
    const wav = file('a.wav', pcm16Wav(new Int16Array(16000).fill(500), 16000));
    const got = await inspectAudio(wav, { ffmpeg: null, longThresholdS: 600 });
    expect(got.kind === 'wav' && got.wav.duration).toBe(1);
    const cut = file('cut.wav', pcm16Wav(new Int16Array(16000), 16000).subarray(0, 1000));
    const err = await refusal(inspectAudio(cut, { ffmpeg: null, longThresholdS: 600 }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/truncated/);
  });

  it('without ffmpeg: a short compressed file goes as is, a long one or no audio is 415', async () => {
    const mp3 = (bytes: number) => Buffer.concat([Buffer.from('ID3\x04\0\0\0\0\0\0'), Buffer.alloc(bytes)]);
    const short = await inspectAudio(file('s.mp3', mp3(16_000)), { ffmpeg: null, longThresholdS: 600 });
    expect(short).toMatchObject({ kind: 'as-is', container: 'mp3' });
    const long = await refusal(
      inspectAudio(file('l.mp3', mp3(16_000_000)), { ffmpeg: null, longThresholdS: 600 }),
    );
    expect(long.status).toBe(415);
    expect(long.message).toMatch(/apt install ffmpeg/);
    const text = await refusal(
      inspectAudio(file('t.txt', Buffer.from('hello, not audio at all')), {
        ffmpeg: null,
        longThresholdS: 600,
      }),
    );
    expect(text.status).toBe(415);
    expect(sniffContainer(Buffer.from('OggS\0\0\0\0'))?.name).toBe('ogg');
  });

  it('without ffmpeg: the length is the one the file states, not a guess from its size', async () => {
    // 3 s at 16 kHz as 64 kbit/s CBR mp3 (~24 KB): a size ÷ 128 kbit/s guess read 1.5 s.
    const tone = Int16Array.from({ length: 48_000 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const parts: Buffer[] = [];
    for await (const b of encodeMp3({ samples: tone, rate: 16_000 })) parts.push(b);
    const mp3 = file('three-seconds.mp3', Buffer.concat(parts));
    const long = await refusal(inspectAudio(mp3, { ffmpeg: null, longThresholdS: 2 }));
    expect(long.status).toBe(415);
    expect(long.message).toMatch(/^This mp3 recording is 3 s long, over 2 s, so it must be decoded/);
    const short = await inspectAudio(mp3, { ffmpeg: null, longThresholdS: 600 });
    expect(short).toMatchObject({ kind: 'as-is', container: 'mp3' });
    expect(short.kind === 'as-is' && short.estimateS).toBeCloseTo(3, 0);
  });

  it('with ffmpeg: the duration the container states comes along, null when it states none', async () => {
    // No decoding happens here (ffmpeg is only named), so any path stands for the binary.
    const o = { ffmpeg: '/opt/ffmpeg/bin/ffmpeg', longThresholdS: 2 };
    const tone = Int16Array.from({ length: 48_000 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const parts: Buffer[] = [];
    for await (const b of encodeMp3({ samples: tone, rate: 16_000 })) parts.push(b);
    const mp3 = await inspectAudio(file('stated.mp3', Buffer.concat(parts)), o);
    expect(mp3).toMatchObject({ kind: 'decode', container: 'mp3', ffmpeg: o.ffmpeg });
    expect(mp3.kind === 'decode' && mp3.statedS).toBeCloseTo(3, 0);
    const junk = await inspectAudio(file('nothing.bin', Buffer.from('no media here '.repeat(40))), o);
    expect(junk).toEqual({ kind: 'decode', container: 'unknown', ffmpeg: o.ffmpeg, statedS: null });
  });

  it('with ffmpeg (when this host has it): bytes it cannot read are a 415 naming ffmpeg', async () => {
    const ffmpeg = findFfmpeg(null);
    const junk = file('j.bin', Buffer.from('definitely not a media file '.repeat(40)));
    if (!ffmpeg) {
      const err = await refusal(inspectAudio(junk, { ffmpeg, longThresholdS: 600 }));
      expect(err.status).toBe(415);
      return;
    }
    const inspected = await inspectAudio(junk, { ffmpeg, longThresholdS: 600 });
    expect(inspected.kind).toBe('decode');
    const err = await refusal(materializeAudio(junk, inspected, { workDir: dir }));
    expect(err.status).toBe(415);
    expect(err.message).toMatch(/ffmpeg/);
  });
});
