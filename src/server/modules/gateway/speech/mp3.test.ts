import { describe, expect, it } from 'vitest';
import { probeAudio } from '../../../../../test/helpers/ffprobe.js';
import { pcmWav } from '../../../../../test/helpers/wav.js';
import { findFfmpeg } from './ffmpeg.js';
import { encodeMp3 } from './mp3.js';
import { pcm16Of } from './wav.js';

const encode = async (seconds: number, rate: number) => {
  const pcm = pcm16Of(pcmWav(seconds, { rate, hz: 300 }));
  if (!pcm) throw new Error('test WAV unreadable');
  const parts: Buffer[] = [];
  for await (const c of encodeMp3(pcm)) parts.push(c);
  return { parts, mp3: Buffer.concat(parts) };
};

/** The first MPEG audio frame header: 11 sync bits, layer III, and the rate it names. */
function firstFrame(mp3: Buffer) {
  const h = mp3.readUInt32BE(0);
  const version = (h >>> 19) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const rates = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] }[version];
  return { sync: h >>> 21 === 0x7ff, layer: (h >>> 17) & 3, rate: rates?.[(h >>> 10) & 3] };
}

describe('pure-JS mp3 encoder', () => {
  it('encodes 22.05 kHz speech as layer III frames, in several chunks', async () => {
    const { parts, mp3 } = await encode(3, 22050);
    expect(firstFrame(mp3)).toEqual({ sync: true, layer: 1, rate: 22050 });
    expect(parts.length).toBeGreaterThan(1);
    // 64 kbit/s for 3 s is about 24 kB.
    expect(mp3.length).toBeGreaterThan(20_000);
    expect(mp3.length).toBeLessThan(30_000);
  });

  it('resamples a rate mp3 cannot carry to 24 kHz', async () => {
    const { mp3 } = await encode(1, 20000);
    expect(firstFrame(mp3).rate).toBe(24000);
  });

  it.runIf(findFfmpeg(null))(
    'produces a file ffmpeg decodes without errors, with the right duration',
    async () => {
      const { mp3 } = await encode(2, 22050);
      const p = probeAudio(mp3, 'mp3');
      expect(p).toMatchObject({ codec: 'mp3', sampleRate: 22050, channels: 1 });
      expect(p.duration).toBeGreaterThan(1.9);
      expect(p.duration).toBeLessThan(2.2);
    },
  );
});
