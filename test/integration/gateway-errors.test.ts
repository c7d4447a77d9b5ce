// How the gateway's errors reach real clients: the official `openai` package and the Vercel AI SDK
// against the real server relaying to the simulator's fake vLLM and Parakeet. An error before the
// first byte keeps its status (so SDKs raise their status errors and retry 5xx); one after the
// stream began arrives in-stream, then [DONE].
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, streamText } from 'ai';
import OpenAI, { APIError, BadRequestError, InternalServerError, NotFoundError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatsResponse } from '../../src/server/modules/gateway/stats.js';
import { getJson, startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

/** ~95 tokens the fake vLLM echoes one by one: long enough to act on a stream while it runs. */
const LONG_PROMPT = 'a '.repeat(80).trim();

/** The error a call fails with (a call that succeeds yields a plain Error and fails the test). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

type Envelope = { error: { message: string; type: string; param: string | null; code: string | null } };

describe('gateway /v1 errors', () => {
  let c: TestCluster;
  let client: OpenAI;
  let model: string;
  const chat = (content: string) => ({ model, messages: [{ role: 'user' as const, content }] });
  const requests = async () =>
    (await getJson<GatewayStatsResponse>(`${c.url}/api/gateway/stats`)).body.clients.find(
      (x) => x.name === 'anonymous',
    )!.requests;
  const upload = async (parts: [string, string | Blob, string?][]) => {
    const form = new FormData();
    for (const [name, value, filename] of parts) {
      if (typeof value === 'string') form.append(name, value);
      else form.append(name, value, filename);
    }
    const res = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Envelope };
  };

  beforeAll(async () => {
    c = await startTestCluster({ speed: 1 });
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    model = await waitFor(
      async () => (await client.models.list()).data.find((m) => m.owned_by === 'vllm')?.id,
    );
  });
  afterAll(async () => c?.close());

  it('gives a streaming request for an unknown model a 404 APIError, in the openai SDK and the AI SDK', async () => {
    const err = await failure(
      client.chat.completions.create({ ...chat('hi'), model: 'nope/x', stream: true }),
    );
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.status).toBe(404);
    expect(err.type).toBe('not_found_error');
    expect(err.message).toContain('The model `nope/x` does not exist.');

    const provider = createOpenAICompatible({ name: 'spark', baseURL: `${c.url}/v1`, apiKey: 'x' });
    const errors: unknown[] = [];
    const result = streamText({
      model: provider('nope/x'),
      prompt: 'hi',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'error') errors.push(part.error);
      if (part.type === 'text-delta') text += part.text;
    }
    expect(text).toBe('');
    const apiErr = errors.find((e) => APICallError.isInstance(e));
    expect(apiErr).toBeDefined();
    expect((apiErr as APICallError).statusCode).toBe(404);
    expect((apiErr as APICallError).message).toContain('does not exist');
  });

  it('answers an upstream 503 with 503, so the SDK retries it (streaming or not)', async () => {
    c.sim.faults.vllmError(503);
    try {
      const retrying = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 2 });
      for (const stream of [false, true]) {
        const before = await requests();
        const err = await failure(retrying.chat.completions.create({ ...chat('hi'), stream }));
        expect(err).toBeInstanceOf(InternalServerError);
        expect(err.status).toBe(503);
        expect(err.error).toMatchObject({ type: 'server_error', code: null });
        // The first try and two retries all reached the gateway.
        expect(await requests()).toBe(before + 3);
      }
    } finally {
      c.sim.faults.vllmError(null);
    }
    const ok = await client.chat.completions.create(chat('after'));
    expect(ok.choices[0]?.message.content).toContain('after');
  });

  it('keeps a 4xx from vLLM as that status with the envelope, for a stream too', async () => {
    const tooLong = { ...chat('hi'), max_tokens: 10_000_000, stream: true };
    const res = await fetch(`${c.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tooLong),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Envelope;
    expect(body.error.message).toMatch(/maximum context length/);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.code === null || typeof body.error.code === 'string').toBe(true);
  });

  it('ends a stream that vLLM drops midway with an in-stream error, then [DONE]', async () => {
    c.sim.faults.vllmCrashMidStream(true);
    try {
      const res = await fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat(LONG_PROMPT), stream: true }),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      const events = text.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      const error = JSON.parse(events.at(-2)!.slice('data: '.length)) as Envelope;
      expect(error.error).toMatchObject({ type: 'server_error', code: 'stream_interrupted' });
      expect(events.slice(0, -2).every((e) => e.startsWith('data: {"id":"chatcmpl-'))).toBe(true);

      const stream = await client.chat.completions.create({ ...chat(LONG_PROMPT), stream: true });
      let chunks = 0;
      const err = await failure(
        (async () => {
          for await (const _ of stream) chunks++;
        })(),
      );
      expect(err).toBeInstanceOf(APIError);
      expect(err.message).toMatch(/vllm stream interrupted/);
      expect(chunks).toBeGreaterThan(0);

      // Not streaming: vLLM drops the connection before answering → a 502 that says so.
      const whole = await failure(client.chat.completions.create(chat('x')));
      expect(whole.status).toBe(502);
      expect(whole.message).toMatch(/vllm closed the connection before answering/);
    } finally {
      c.sim.faults.vllmCrashMidStream(false);
    }
  });

  it("aborts vLLM's request when the SDK's stream is aborted", async () => {
    // A second per token: the whole reply would run ~95 s, so a prompt drop to zero is the abort.
    c.sim.faults.vllmTokenDelay(1000);
    try {
      const before = await vllmMetric(c, 'vllm:request_success_total');
      const stream = await client.chat.completions.create({ ...chat(LONG_PROMPT), stream: true });
      let seen = 0;
      for await (const _ of stream) {
        if (++seen === 2) {
          await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 1, 5000, 10);
          stream.controller.abort();
        }
      }
      expect(seen).toBe(2);
      await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 0, 15_000, 20);
      expect(await vllmMetric(c, 'vllm:request_success_total')).toBe(before);
    } finally {
      c.sim.faults.vllmTokenDelay(null);
    }
  });

  describe('transcriptions', () => {
    const wav = new Blob([new Uint8Array(pcmWav(1))], { type: 'audio/wav' });

    it('answers a form without a file with a 400 envelope naming `file`, not 422', async () => {
      const r = await upload([['model', 'parakeet']]);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param: 'file' });
      expect(r.body.error.message).toMatch(/no `file`/);
      const empty = await upload([['file', new Blob([]), 'a.wav']]);
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/empty/);
    });

    it('refuses a body that is not multipart, and a broken multipart body', async () => {
      const res = await fetch(`${c.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=zz' },
        body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Envelope).error.message).toMatch(/not valid multipart/);
    });

    it('answers a corrupt file with 400 and the reason (FastAPI detail converted)', async () => {
      const r = await upload([
        ['file', new Blob(['this is not audio at all']), 'notes.wav'],
        ['model', 'parakeet'],
      ]);
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('invalid_request_error');
      expect(r.body.error.message).toMatch(/^parakeet: Could not read audio file 'notes\.wav'/);
      expect(r.body).not.toHaveProperty('detail');

      const err = await failure(
        client.audio.transcriptions.create({
          file: await toFile(wav, 'a.wav'),
          model: 'parakeet',
          response_format: 'bogus' as 'json',
        }),
      );
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.message).toMatch(/Unsupported response_format 'bogus'/);
    });

    it('refuses stream: true with a 400 saying so, through the SDK', async () => {
      // 10 s (320 kB) is spooled to disk: the `stream` field after it is still found.
      const long = new Blob([new Uint8Array(pcmWav(10))], { type: 'audio/wav' });
      const err = await failure(
        client.audio.transcriptions.create({
          file: await toFile(long, 'a.wav'),
          model: 'parakeet',
          stream: true,
        }),
      );
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err.param).toBe('stream');
      expect(err.message).toMatch(/stream: true is not supported for transcriptions/);
      // stream=false still transcribes.
      const ok = await client.audio.transcriptions.create({
        file: await toFile(wav, 'a.wav'),
        model: 'parakeet',
        stream: false,
      });
      expect(typeof ok.text).toBe('string');
    });
  });
});
