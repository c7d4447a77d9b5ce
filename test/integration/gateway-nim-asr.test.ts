// The gateway's transcription against Parakeet as NVIDIA's ASR NIM (services.parakeet.api: nim):
// json and text through the official openai client, the language sent the NIM's way, and a clear
// 400 for the formats that need timestamps the NIM's HTTP API does not return; the audio
// pipeline's diarizing routes refuse up front, saying the NIM has no diarizer.
import OpenAI, { toFile, type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, waitFor } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';
import { type NimCluster, startNimCluster } from './nim-helpers.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

describe('gateway transcription against the ASR NIM', () => {
  let c: NimCluster;
  let client: OpenAI;
  const wav = pcmWav(1.5);
  const transcribe = (o: Partial<OpenAI.Audio.TranscriptionCreateParamsNonStreaming> = {}) =>
    toFile(wav, 'tone.wav', { type: 'audio/wav' }).then((file) =>
      client.audio.transcriptions.create({ file, model: 'whisper-1', ...o, stream: false }),
    );
  beforeAll(async () => {
    c = await startNimCluster({ parakeetApi: 'nim', startSamplers: true });
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    // Readiness comes from the NIM's /v1/health/ready (the app's /health does not exist there).
    await waitFor(
      async () => (await getJson<{ parakeet: { ok: boolean } }>(`${c.url}/api/status`)).body.parakeet.ok,
    );
  }, 60_000);
  afterAll(async () => c?.close());

  it('the config says the ASR service is a NIM, and the NIM refuses what the gateway fixes', async () => {
    expect(c.config.services.parakeet?.api).toBe('nim');
    // Straight to the NIM, a request without language is refused in its own words.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'a.wav');
    const direct = await fetch(`${c.sim.speech.parakeet.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as { error: string }).error).toMatch(/language/);
  });

  it('transcribes as json (language defaulted to en-US, the client model dropped)', async () => {
    const res = await transcribe();
    expect(typeof res.text).toBe('string');
    expect(res.text.length).toBeGreaterThan(0);
  });

  it('transcribes as text with an ISO-639-1 language mapped to the NIM locale', async () => {
    const res = (await transcribe({ response_format: 'text', language: 'en' })) as unknown as string;
    expect(typeof res).toBe('string');
    expect(res.length).toBeGreaterThan(0);
  });

  it.each(['verbose_json', 'srt', 'vtt'] as const)(
    'answers %s with a clear 400 naming what the NIM cannot do',
    async (format) => {
      const err = await failure(transcribe({ response_format: format }));
      expect(err.status).toBe(400);
      expect(err.message).toContain(`response_format ${format} needs timestamps`);
      expect(err.message).toContain('json or text');
      expect((err.error as { param?: string } | undefined)?.param).toBe('response_format');
    },
  );

  it('passes the NIM refusal of a language it does not serve as a 400 in its words', async () => {
    const err = await failure(transcribe({ language: 'de' }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('language_code=de-DE');
  });

  it('refuses a language that is no code before calling the NIM', async () => {
    const err = await failure(transcribe({ language: 'english please' }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('is not a language code');
  });

  it.each([
    '/api/audio/transcribe-with-speakers',
    '/api/audio/transcribe-with-speakers?async=1',
    '/api/audio/diarize-chunk',
  ])('refuses %s: the ASR NIM has no diarizer, and the answer says so', async (path) => {
    const jobsBefore = (await getJson<unknown[]>(`${c.url}/api/jobs?kind=audio-transcription&limit=500`))
      .body;
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'a.wav');
    const res = await fetch(`${c.url}${path}`, { method: 'POST', body: fd });
    // 400: this deployment cannot diarize, whatever the request, and no retry helps (a 503 would
    // invite one); changing services.parakeet.api does.
    expect(res.status).toBe(400);
    expect(res.headers.get('retry-after')).toBeNull();
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toContain('an ASR NIM has no diarizer');
    expect(err.message).toContain('services.parakeet.api: parakeet-app');
    // Refused up front: no async job was started for it.
    expect((await getJson<unknown[]>(`${c.url}/api/jobs?kind=audio-transcription&limit=500`)).body).toEqual(
      jobsBefore,
    );
    // …while plain transcription through the gateway keeps working against the same NIM.
    const text = await transcribe();
    expect(text.text.length).toBeGreaterThan(0);
  });

  it('lists the NIM model in /v1/models', async () => {
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toContain('parakeet-1-1b-ctc-en-us');
  });

  it('a wedged NIM answers 500: the gateway says 503 with Retry-After', async () => {
    c.sim.faults.parakeetWedge(true);
    try {
      const fd = new FormData();
      fd.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'a.wav');
      const res = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: fd });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('60');
    } finally {
      c.sim.faults.parakeetWedge(false);
    }
  });

  it('offers no overlay for the ASR NIM: the patches say why, and reapply is a 404', async () => {
    const models = await getJson<{ files: unknown[]; error: string | null }>(`${c.url}/api/speech-models`);
    expect(models.status).toBe(200);
    expect(models.body.files).toEqual([]);
    expect(models.body.error).toMatch(/ASR NIM takes no overlay/);
    const reapply = await fetch(`${c.url}/api/speech-models/reapply`, { method: 'POST' });
    expect(reapply.status).toBe(404);
    expect(((await reapply.json()) as { error: { message: string } }).error.message).toMatch(/Parakeet app/);
  });
});
