// Runs the real ffmpeg (CI installs Debian's) on generated WAVs and reads the results back with ffprobe.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeAudio } from '../../../../../test/helpers/ffprobe.js';
import { pcmWav } from '../../../../../test/helpers/wav.js';
import { SPEECH_FORMATS, type SpeechFormat } from './formats.js';
import { atempoChain, EncoderError, ffmpegArgs, findFfmpeg, runFfmpeg } from './ffmpeg.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FFMPEG = findFfmpeg(null);

const script = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};

const collect = async (gen: AsyncGenerator<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const c of gen) parts.push(c);
  return Buffer.concat(parts);
};

describe('ffmpeg lookup and arguments', () => {
  it('finds an executable ffmpeg on PATH or at the configured path, else none', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const fake = join(bin, 'ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    expect(findFfmpeg(null, `${join(dir, 'nothing')}:${bin}`)).toBeNull();
    chmodSync(fake, 0o755);
    expect(findFfmpeg(null, `relative/dir:${join(dir, 'nothing')}:${bin}`)).toBe(fake);
    expect(findFfmpeg(fake, '')).toBe(fake);
    expect(findFfmpeg(join(dir, 'missing'), bin)).toBeNull();
    expect(findFfmpeg(null, '')).toBeNull();
  });

  it('chains atempo filters within 0.5-2 for speeds 0.25-4', () => {
    expect(atempoChain(1.5)).toEqual(['atempo=1.5']);
    expect(atempoChain(4)).toEqual(['atempo=2', 'atempo=2']);
    expect(atempoChain(0.25)).toEqual(['atempo=0.5', 'atempo=0.5']);
    expect(atempoChain(3)).toEqual(['atempo=2', 'atempo=1.5']);
    expect(ffmpegArgs('mp3', 1)).not.toContain('-filter:a');
    expect(ffmpegArgs('opus', 4)).toEqual(
      expect.arrayContaining(['-filter:a', 'atempo=2,atempo=2', '-ar', '24000']),
    );
  });
});

describe.runIf(FFMPEG)('ffmpeg encoding', () => {
  const wav = pcmWav(2, { rate: 22050, hz: 330 });
  const expected: Record<Exclude<SpeechFormat, 'wav' | 'pcm'>, [string, string]> = {
    mp3: ['mp3', 'mp3'],
    opus: ['opus', 'ogg'],
    aac: ['aac', 'aac'],
    flac: ['flac', 'flac'],
  };

  it.each(Object.entries(expected))(
    'encodes %s at 24 kHz mono with the same duration',
    async (format, [codec, ext]) => {
      const out = await collect(runFfmpeg(FFMPEG ?? '', ffmpegArgs(format as SpeechFormat, 1), wav));
      const p = probeAudio(out, ext);
      expect(p.codec).toBe(codec);
      expect(p.channels).toBe(1);
      // Opus is always decoded at 48 kHz whatever it was encoded from.
      expect(p.sampleRate).toBe(format === 'opus' ? 48000 : 24000);
      expect(p.duration).toBeGreaterThan(1.9);
      expect(p.duration).toBeLessThan(2.2);
    },
  );

  it('writes raw 24 kHz samples for pcm, and halves the duration at speed 2', async () => {
    const pcm = await collect(runFfmpeg(FFMPEG ?? '', ffmpegArgs('pcm', 1), wav));
    expect(Math.abs(pcm.length - 2 * 24000 * 2)).toBeLessThan(200);
    const fast = await collect(runFfmpeg(FFMPEG ?? '', ffmpegArgs('pcm', 2), wav));
    expect(Math.abs(fast.length - 24000 * 2)).toBeLessThan(2000);
    expect(SPEECH_FORMATS).toContain('pcm');
  });

  it('kills ffmpeg when the reader stops early', async () => {
    const long = pcmWav(30, { rate: 22050 });
    const gen = runFfmpeg(FFMPEG ?? '', ffmpegArgs('flac', 1), long);
    const first = await gen.next();
    expect(first.done).toBe(false);
    await gen.return(undefined);
    // Nothing left running: a second call to next() ends at once.
    expect((await gen.next()).done).toBe(true);
  });
});

describe('encoder failures', () => {
  const wav = pcmWav(0.5);
  it('reports a non-zero exit with the last thing the encoder said', async () => {
    const bad = script('exit3', 'echo "Unknown encoder libfoo" >&2\nexit 3');
    const err = await collect(runFfmpeg(bad, [], wav)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncoderError);
    expect((err as Error).message).toBe('ffmpeg failed: exit code 3: Unknown encoder libfoo');
  });

  it('reports a crash after some output, and an encoder that cannot start', async () => {
    const crash = script('crash', 'cat >/dev/null\nprintf partial\nkill -SEGV $$');
    const gen = runFfmpeg(crash, [], wav);
    const first = await gen.next();
    expect(first.value?.toString()).toBe('partial');
    const err = await gen.next().catch((e: unknown) => e);
    expect((err as Error).message).toBe('ffmpeg failed: killed by SIGSEGV');
    const missing = await collect(runFfmpeg(join(dir, 'gone'), [], wav)).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/^ffmpeg failed: could not run .*gone \(spawn .* ENOENT\)$/);
  });

  it('reads through an encoder that exits before taking all its input', async () => {
    const early = script('early', 'exit 1');
    const err = await collect(runFfmpeg(early, [], pcmWav(20))).catch((e: unknown) => e);
    expect((err as Error).message).toBe('ffmpeg failed: exit code 1: no message');
  });
});
