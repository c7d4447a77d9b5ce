// Text to speech through the gateway as OpenAI clients use it: the official `openai` package and
// the Vercel AI SDK against the real server and the simulator's fake Magpie, in every format, with
// ffmpeg on the host, without it (gateway.ffmpeg_path pointing nowhere), and with a broken one.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { experimental_generateSpeech as generateSpeech } from 'ai';
import type { APIError } from 'openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_MAP } from '../../src/server/modules/gateway/speech/voices.js';
import { probeAudio } from '../helpers/ffprobe.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

const INPUT = 'Hello from the Spark, speaking every format there is.';
type Format = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

/** An MP3 stream starts with an ID3 tag (ffmpeg writes one) or directly with a frame's 11 sync bits. */
const looksLikeMp3 = (b: Buffer) =>
  b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0);

describe('gateway text to speech', () => {
  let c: TestCluster;
  let client: OpenAI;
  const dir = mkdtempSync(join(tmpdir(), 'sc-speech-'));
  const script = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const speak = async (o: Partial<OpenAI.Audio.SpeechCreateParams> = {}) => {
    const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT, ...o });
    return {
      type: res.headers.get('content-type'),
      headers: res.headers,
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const restartWith = async (gateway: Record<string, unknown>) => {
    Object.assign(c.config.gateway, gateway);
    await c.restart();
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
  };

  beforeAll(async () => {
    c = await startTestCluster();
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await waitFor(
      async () => (await getJson<{ magpie: { ok: boolean } }>(`${c.url}/api/status`)).body.magpie.ok,
    );
  });
  afterAll(async () => {
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with ffmpeg on the host', () => {
    it('answers the SDK default (mp3, voice alloy) with audio ffmpeg decodes', async () => {
      const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: INPUT });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/mpeg');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(looksLikeMp3(bytes)).toBe(true);
      const p = probeAudio(bytes, 'mp3');
      expect(p).toMatchObject({ codec: 'mp3', sampleRate: 24000, channels: 1 });
      expect(p.duration).toBeGreaterThan(1);
    });

    const expected: Record<Format, [string, string, string, number]> = {
      mp3: ['audio/mpeg', 'mp3', 'mp3', 24000],
      opus: ['audio/opus', 'ogg', 'opus', 48000],
      aac: ['audio/aac', 'aac', 'aac', 24000],
      flac: ['audio/flac', 'flac', 'flac', 24000],
      wav: ['audio/wav', 'wav', 'pcm_s16le', 22050],
    } as Record<Format, [string, string, string, number]>;

    it.each(Object.entries(expected))('speaks %s', async (format, [type, ext, codec, rate]) => {
      const r = await speak({ response_format: format as Format, voice: 'nova' });
      expect(r.type).toBe(type);
      expect(probeAudio(r.bytes, ext)).toMatchObject({ codec, sampleRate: rate, channels: 1 });
    });

    it('speaks pcm as 24 kHz 16-bit mono, as long as the wav', async () => {
      const wav = await speak({ response_format: 'wav', voice: 'echo' });
      const pcm = await speak({ response_format: 'pcm', voice: 'echo' });
      expect(pcm.type).toBe('audio/pcm');
      const wavSeconds = (wav.bytes.length - 44) / 2 / 22050;
      expect(Math.abs(pcm.bytes.length / 2 / 24000 - wavSeconds)).toBeLessThan(0.02);
    });

    it('applies speed with atempo: twice as fast is half as long', async () => {
      const normal = probeAudio((await speak({ response_format: 'flac' })).bytes, 'flac').duration;
      const fast = await speak({ response_format: 'flac', speed: 2 });
      expect(fast.headers.get('x-spark-control-speed')).toBeNull();
      expect(Math.abs(probeAudio(fast.bytes, 'flac').duration - normal / 2)).toBeLessThan(0.1);
      const slowWav = await speak({ response_format: 'wav', speed: 0.5 });
      expect(probeAudio(slowWav.bytes, 'wav')).toMatchObject({ sampleRate: 24000 });
      expect(Math.abs(probeAudio(slowWav.bytes, 'wav').duration - normal * 2)).toBeLessThan(0.2);
    });

    it('keeps racing requests apart: each gets its own format', async () => {
      const formats = ['mp3', 'opus', 'flac', 'aac', 'mp3', 'flac'] as const;
      const ext = { mp3: 'mp3', opus: 'ogg', flac: 'flac', aac: 'aac' };
      const results = await Promise.all(formats.map((f) => speak({ response_format: f, voice: 'fable' })));
      results.forEach((r, i) => {
        const f = formats[i] ?? 'mp3';
        expect(probeAudio(r.bytes, ext[f]).codec).toBe(f);
      });
    });

    it('streams the bytes with stream_format "audio"', async () => {
      const res = await fetch(`${c.url}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tts-1',
          voice: 'shimmer',
          input: INPUT,
          response_format: 'aac',
          stream_format: 'audio',
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/aac');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(probeAudio(Buffer.from(await res.arrayBuffer()), 'aac').codec).toBe('aac');
    });

    it('streams OpenAI\'s speech events with stream_format "sse"', async () => {
      const res = await fetch(`${c.url}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini-tts',
          voice: 'coral',
          input: INPUT,
          stream_format: 'sse',
        }),
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const events = (await res.text())
        .split('\n\n')
        .filter((e) => e.startsWith('data: '))
        .map(
          (e) => JSON.parse(e.slice(6)) as { type: string; audio?: string; usage?: Record<string, number> },
        );
      const deltas = events.filter((e) => e.type === 'speech.audio.delta');
      expect(deltas.length).toBeGreaterThan(0);
      expect(events.at(-1)?.type).toBe('speech.audio.done');
      expect(events.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
      const mp3 = Buffer.concat(deltas.map((d) => Buffer.from(d.audio ?? '', 'base64')));
      expect(probeAudio(mp3, 'mp3').codec).toBe('mp3');
    });

    it('works through the Vercel AI SDK (generateSpeech with @ai-sdk/openai)', async () => {
      const openai = createOpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x' });
      const r = await generateSpeech({
        model: openai.speech('tts-1'),
        text: INPUT,
        voice: 'alloy',
        maxRetries: 0,
      });
      expect(r.audio.mediaType).toBe('audio/mpeg');
      expect(probeAudio(r.audio.uint8Array, 'mp3').codec).toBe('mp3');
    });

    it('refuses unknown voices and bad formats with 400s that say what to do', async () => {
      const voice = await failure(speak({ voice: 'galadriel' }));
      expect(voice.status).toBe(400);
      expect(voice.message).toContain('GET /v1/audio/voices');
      const format = await failure(speak({ response_format: 'ogg' as Format }));
      expect(format.status).toBe(400);
      expect(format.message).toContain('mp3, opus, aac, flac, wav, pcm');
    });

    it('lists voices (OpenAI names first) and TTS models in the shapes Open WebUI reads', async () => {
      const voices = await getJson<{ voices: { id: string; name: string; language: string | null }[] }>(
        `${c.url}/v1/audio/voices`,
      );
      expect(voices.status).toBe(200);
      const ids = voices.body.voices.map((v) => v.id);
      expect(ids.slice(0, 11)).toEqual(Object.keys(DEFAULT_VOICE_MAP));
      expect(ids).toContain('Magpie-Multilingual.EN-US.Aria');
      expect(voices.body.voices[0]).toEqual({ id: 'alloy', name: 'alloy: Aria (EN-US)', language: 'en-US' });
      const models = await getJson<{ models: { id: string }[] }>(`${c.url}/v1/audio/models`);
      expect(models.body.models.map((m) => m.id)).toContain('tts-1');
    });
  });

  describe('without ffmpeg', () => {
    beforeAll(async () => restartWith({ ffmpeg_path: join(dir, 'no-such-ffmpeg') }));

    it('still answers the default mp3, from the JS encoder', async () => {
      const r = await speak();
      expect(r.type).toBe('audio/mpeg');
      expect(looksLikeMp3(r.bytes)).toBe(true);
      const p = probeAudio(r.bytes, 'mp3');
      expect(p).toMatchObject({ codec: 'mp3', sampleRate: 22050 });
      expect(p.duration).toBeGreaterThan(1);
    });

    it('answers wav as Magpie made it and pcm resampled to 24 kHz', async () => {
      const wav = await speak({ response_format: 'wav' });
      expect(wav.bytes.toString('ascii', 0, 4)).toBe('RIFF');
      const pcm = await speak({ response_format: 'pcm' });
      expect(Math.abs(pcm.bytes.length / 2 / 24000 - (wav.bytes.length - 44) / 2 / 22050)).toBeLessThan(0.01);
    });

    it('refuses opus, aac and flac naming what to install; says speed was ignored', async () => {
      for (const f of ['opus', 'aac', 'flac'] as const) {
        const err = await failure(speak({ response_format: f }));
        expect(err.status).toBe(400);
        expect(err.message).toContain('apt-get install ffmpeg');
      }
      const fast = await speak({ speed: 2 });
      expect(fast.headers.get('x-spark-control-speed')).toBe('ignored: needs ffmpeg');
    });

    it("streams the JS encoder's mp3 in chunks", async () => {
      const res = await fetch(`${c.url}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ voice: 'alloy', input: INPUT.repeat(3), stream_format: 'audio' }),
      });
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(probeAudio(Buffer.from(await res.arrayBuffer()), 'mp3').codec).toBe('mp3');
    });
  });

  describe('with a broken ffmpeg', () => {
    it('answers 502 naming the encoder when it exits non-zero', async () => {
      await restartWith({
        ffmpeg_path: script('ffmpeg-fails', 'echo "Unknown encoder libopus" >&2\nexit 1'),
      });
      const err = await failure(speak({ response_format: 'opus' }));
      expect(err.status).toBe(502);
      expect(err.headers?.get('content-type')).toContain('application/json');
      expect((err.error as { type?: string } | undefined)?.type).toBe('server_error');
      expect(err.message).toContain('ffmpeg failed: exit code 1: Unknown encoder libopus');
    });

    it('answers 502 when it crashes, and cuts a stream that had begun', async () => {
      await restartWith({
        ffmpeg_path: script('ffmpeg-crashes', 'cat >/dev/null\nprintf partial\nkill -SEGV $$'),
      });
      const err = await failure(speak({ response_format: 'flac' }));
      expect(err.status).toBe(502);
      expect(err.message).toContain('ffmpeg failed: killed by SIGSEGV');
      const res = await fetch(`${c.url}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          voice: 'alloy',
          input: INPUT,
          response_format: 'flac',
          stream_format: 'audio',
        }),
      });
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
      // The gateway is fine afterwards.
      expect((await speak({ response_format: 'wav' })).type).toBe('audio/wav');
    });

    it('kills the encoder when the client goes away', async () => {
      const pidFile = join(dir, 'encoder.pid');
      await restartWith({ ffmpeg_path: script('ffmpeg-hangs', `echo $$ > ${pidFile}\nexec sleep 60`) });
      const ctl = new AbortController();
      const req = fetch(`${c.url}/v1/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ voice: 'alloy', input: INPUT, response_format: 'opus' }),
        signal: ctl.signal,
      }).catch((e: unknown) => e);
      const pid = await waitFor(async () => {
        try {
          return Number(readFileSync(pidFile, 'utf8').trim()) || null;
        } catch {
          return null;
        }
      });
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(alive()).toBe(true);
      ctl.abort();
      expect(await req).toBeInstanceOf(Error);
      await waitFor(async () => !alive());
      expect(alive()).toBe(false);
    });
  });
});
