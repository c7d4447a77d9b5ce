// The gateway's speech and embeddings routes through the official `openai` client, against the
// real server relaying to the simulator's fake Parakeet, Magpie and embeddings server.
import type { APIError } from 'openai';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatsResponse } from '../../src/server/modules/gateway/stats.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

const VOICE = 'Magpie-Multilingual.EN-US.Aria';

const toneWav = (seconds: number) => pcmWav(seconds);

/** The APIError a call fails with (a call that succeeds yields a plain Error and fails the test). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

const kindOf = (m: unknown) => (m as { spark_control?: { kind?: string } }).spark_control?.kind;

describe('gateway /v1 audio and embeddings', () => {
  let c: TestCluster;
  let client: OpenAI;
  const wav = toneWav(1.5);
  const transcribe = (o: Partial<OpenAI.Audio.TranscriptionCreateParamsNonStreaming> = {}) =>
    toFile(wav, 'tone.wav', { type: 'audio/wav' }).then((file) =>
      client.audio.transcriptions.create({ file, model: 'parakeet-tdt', ...o, stream: false }),
    );
  beforeAll(async () => {
    c = await startTestCluster();
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => c?.close());

  it('reports the simulated speech services healthy in /api/status', async () => {
    const s = await waitFor(async () => {
      const r = (await getJson<{ parakeet: { ok: boolean }; magpie: { ok: boolean } }>(`${c.url}/api/status`))
        .body;
      return r.parakeet.ok && r.magpie.ok ? r : null;
    });
    expect(s.parakeet.ok && s.magpie.ok).toBe(true);
  });

  it('transcribes a WAV as json', async () => {
    const res = await transcribe();
    expect(typeof res.text).toBe('string');
    expect(res.text.length).toBeGreaterThan(0);
  });

  it('transcribes as verbose_json with words and segments', async () => {
    const res = (await transcribe({
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    })) as unknown as OpenAI.Audio.TranscriptionVerbose;
    expect(res.duration).toBeCloseTo(1.5, 1);
    expect(res.words?.length).toBeGreaterThan(0);
    expect(res.words?.[0]).toMatchObject({ word: expect.any(String), start: expect.any(Number) });
    expect(res.segments?.length).toBeGreaterThan(0);
  });

  it('passes text transcriptions through as text', async () => {
    const text = await transcribe({ response_format: 'text' });
    expect(typeof text).toBe('string');
  });

  it('speaks WAV with a Magpie voice, and raw PCM', async () => {
    const res = await client.audio.speech.create({
      model: 'magpie',
      voice: VOICE,
      input: 'Hello from the Spark',
      response_format: 'wav',
    });
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    const pcm = await client.audio.speech.create({
      model: 'magpie',
      voice: VOICE,
      input: 'Hello from the Spark',
      response_format: 'pcm',
    });
    expect(pcm.headers.get('content-type')).toBe('audio/pcm');
    const samples = Buffer.from(await pcm.arrayBuffer());
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.toString('ascii', 0, 4)).not.toBe('RIFF');
  });

  it('refuses unknown voices with a clear 400 (formats and OpenAI voices: gateway-speech.test.ts)', async () => {
    const unknown = await failure(
      client.audio.speech.create({ model: 'magpie', voice: 'nobody', input: 'hi', response_format: 'wav' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain('GET /v1/audio/voices');
  });

  it('lists the voices', async () => {
    const { status, body } = await getJson<{ voices: { id: string }[] }>(`${c.url}/v1/audio/voices`);
    expect(status).toBe(200);
    expect(body.voices.map((v) => v.id)).toContain(VOICE);
    expect(body.voices.length).toBeGreaterThan(60);
  });

  it('relays embeddings', async () => {
    const res = await client.embeddings.create({
      model: 'nomic-ai/nomic-embed-text-v1.5',
      input: ['a cat', 'a dog'],
    });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding.length).toBe(768);
  });

  it('lists llm, stt, tts and embeddings models in one list', async () => {
    await waitFor(async () => (await client.models.list()).data.some((m) => kindOf(m) === 'llm'));
    const list = await client.models.list();
    const kinds = new Set(list.data.map(kindOf));
    expect([...kinds].sort()).toEqual(['embeddings', 'llm', 'stt', 'tts']);
    expect(list.data.find((m) => kindOf(m) === 'stt')?.id).toBe('nvidia/parakeet-tdt-0.6b-v2');
    // One TTS entry; the voices are listed only with ?voices=1 (gateway-surface.test.ts).
    expect(list.data.filter((m) => kindOf(m) === 'tts').map((m) => m.id)).toEqual([
      'magpie-tts-multilingual',
    ]);
  });

  it('answers 503 with Retry-After when Parakeet is wedged', async () => {
    c.sim.faults.parakeetWedge(true);
    try {
      const err = await failure(transcribe());
      expect(err.status).toBe(503);
      expect(err.headers?.get('retry-after')).toBe('60');
      expect(err.message).toMatch(/Speech recognition is temporarily unavailable/);
    } finally {
      c.sim.faults.parakeetWedge(false);
    }
  });

  it('enforces the upload limit and API keys, counting per key', async () => {
    Object.assign(c.config.gateway, { max_upload_mb: 1 });
    c.config.api_keys = [{ name: 'audio-app', key: 'secret-audio-key' }];
    await c.restart();
    const keyed = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'secret-audio-key', maxRetries: 0 });
    const anonymous = await failure(
      new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'nope', maxRetries: 0 }).embeddings.create({
        model: 'x',
        input: 'x',
      }),
    );
    expect(anonymous.status).toBe(401);

    const big = await toFile(toneWav(40), 'long.wav', { type: 'audio/wav' });
    const err = await failure(keyed.audio.transcriptions.create({ file: big, model: 'parakeet-tdt' }));
    expect(err.status).toBe(413);
    expect(err.message).toContain('1 MB (gateway.max_upload_mb)');

    // A chunked upload (no Content-Length) is cut off at the limit as it flows.
    const body = toneWav(40);
    const boundary = 'sc-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
    const chunks = [Buffer.from(head), body, Buffer.from(`\r\n--${boundary}--\r\n`)];
    const res = await fetch(`${c.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        authorization: 'Bearer secret-audio-key',
      },
      body: new ReadableStream({
        pull(ctl) {
          const next = chunks.shift();
          if (next) ctl.enqueue(next);
          else ctl.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);

    const small = await keyed.audio.transcriptions.create({
      file: await toFile(wav, 't.wav'),
      model: 'parakeet-tdt',
    });
    expect(small.text.length).toBeGreaterThan(0);
    const stats = (await getJson<GatewayStatsResponse>(`${c.url}/api/gateway/stats`)).body;
    expect(stats.clients.find((x) => x.name === 'audio-app')?.requests).toBeGreaterThanOrEqual(3);
  });
});
