// The OpenAI-compatible gateway through the official `openai` client and raw HTTP, against the
// real server relaying to the simulator's fake vLLM.
import OpenAI, { APIError, NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatsResponse } from '../../src/server/modules/gateway/stats.js';
import { getJson, startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';

/** What Spark Control says a /v1/models entry is (llm, stt, tts, embeddings). */
const kindOf = (m: unknown) => (m as { spark_control?: { kind?: string } }).spark_control?.kind;

/** A prompt the fake vLLM echoes back token by token: ~95 tokens, ~2 s at speed 1. */
const LONG_PROMPT = 'a '.repeat(80).trim();

const metric = vllmMetric;

const post = (c: TestCluster, path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${c.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

const stats = async (c: TestCluster) =>
  (await getJson<GatewayStatsResponse>(`${c.url}/api/gateway/stats`)).body;

/** The APIError a call fails with (a call that succeeds yields a plain Error and fails the test). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

const drain = async (stream: AsyncIterable<unknown>, each?: (n: number) => void) => {
  let n = 0;
  for await (const _ of stream) each?.(++n);
};

describe('gateway /v1 (no API keys)', () => {
  let c: TestCluster;
  let client: OpenAI;
  let model: string;
  const chat = (content: string) => ({ model, messages: [{ role: 'user' as const, content }] });
  beforeAll(async () => {
    c = await startTestCluster({ speed: 1 });
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    model = await waitFor(async () => (await client.models.list()).data[0]?.id);
  });
  afterAll(async () => c?.close());

  it('lists the loaded vLLM model, tagged as an llm', async () => {
    const list = (await client.models.list()).data.filter((m) => kindOf(m) === 'llm');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: model, object: 'model', owned_by: 'vllm' });
  });

  it('relays a chat completion', async () => {
    const res = await client.chat.completions.create(chat('hi'));
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message.content).toContain('You said: "hi"');
    expect(res.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams a chat completion chunk by chunk, ending with [DONE]', async () => {
    const stream = await client.chat.completions.create({
      ...chat('stream please'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((ch) => ch.choices[0]?.delta.content ?? '').join('')).toContain('stream please');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);

    const raw = await post(c, '/v1/chat/completions', { ...chat('x'), stream: true });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await raw.text();
    expect(text.startsWith('data: {"id":"chatcmpl-')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('relays completions, streaming and not', async () => {
    const res = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 5 });
    expect(res.object).toBe('text_completion');
    expect(res.choices[0]?.finish_reason).toBe('length');
    const stream = await client.completions.create({ model, prompt: 'Once', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toContain('simulated Spark');
  });

  it("passes vLLM's 404 for a model that is not loaded, with its status even when streaming", async () => {
    const missing = { ...chat('hi'), model: 'nope/missing' };
    const err = await failure(client.chat.completions.create(missing));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.status).toBe(404);
    expect(err.error).toMatchObject({ type: 'not_found_error' });
    expect(err.message).toContain('The model `nope/missing` does not exist.');

    const res = await post(c, '/v1/chat/completions', { ...missing, stream: true });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      message: 'The model `nope/missing` does not exist.',
      type: 'not_found_error',
    });
    expect([null, 'model_not_found']).toContain(body.error.code);

    const streamed = await failure(client.chat.completions.create({ ...missing, stream: true }));
    expect(streamed).toBeInstanceOf(NotFoundError);
    expect(streamed.status).toBe(404);
  });

  it('refuses a body that is not JSON with a 400 envelope', async () => {
    const res = await post(c, '/v1/chat/completions', '{"model": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: 'The request body is not valid JSON.',
        type: 'invalid_request_error',
        param: null,
        code: 'BAD_REQUEST',
      },
    });
  });

  it('refuses a body over the limit with 413', async () => {
    const err = await failure(client.chat.completions.create(chat('x'.repeat(17 * 1024 * 1024))));
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/larger than the gateway's limit of 16 MB/);
  });

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    const before = await metric(c, 'vllm:request_success_total');
    const ctrl = new AbortController();
    const body = { ...chat(LONG_PROMPT), stream: true };
    const res = await post(c, '/v1/chat/completions', body, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await waitFor(async () => (await metric(c, 'vllm:num_requests_running')) === 1, 2000, 10);
    ctrl.abort();
    // The fake vLLM sees its client leave: the request ends without counting as a success (a
    // relay that kept reading would have run the ~2 s reply to completion).
    await waitFor(async () => (await metric(c, 'vllm:num_requests_running')) === 0, 15_000, 20);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await metric(c, 'vllm:request_success_total')).toBe(before);
    await waitFor(async () => (await stats(c)).clients.find((x) => x.name === 'anonymous')!.aborted >= 1);
    const again = await client.chat.completions.create(chat('ok'));
    expect(again.choices[0]?.message.content).toContain('ok');
  });

  it('ends a stream with an in-stream error when vLLM dies mid-stream', async () => {
    const stream = await client.chat.completions.create({ ...chat(LONG_PROMPT), stream: true });
    try {
      const dieAtThird = (n: number) => n === 3 && c.sim.faults.vllmDown();
      await expect(drain(stream, dieAtThird)).rejects.toThrow(/vllm stream interrupted/);
    } finally {
      c.sim.faults.vllmUp();
    }
    await waitFor(async () => (await client.models.list()).data.some((m) => kindOf(m) === 'llm'));
  });

  it('answers 502 "vllm unreachable" when vLLM is down, and an empty model list', async () => {
    c.sim.faults.vllmDown();
    try {
      await waitFor(async () => (await fetch(c.sim.vllm.url).catch(() => null)) === null, 5000, 20);
      for (const stream of [false, true]) {
        const err = await failure(client.chat.completions.create({ ...chat('hi'), stream }));
        expect(err).toBeInstanceOf(APIError);
        expect(err.status).toBe(502);
        expect(err.error).toMatchObject({ message: 'vllm unreachable', type: 'server_error' });
      }
      const res = await post(c, '/v1/completions', { model, prompt: 'x' });
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({
        error: { message: 'vllm unreachable', type: 'server_error', param: null, code: 'UPSTREAM_ERROR' },
      });
      const models = await getJson<{ object: string; data: unknown[] }>(`${c.url}/v1/models`);
      expect(models.status).toBe(200);
      expect(models.body.object).toBe('list');
      expect(models.body.data.filter((m) => kindOf(m) === 'llm')).toEqual([]);
    } finally {
      c.sim.faults.vllmUp();
    }
    await waitFor(async () => (await client.models.list()).data.some((m) => kindOf(m) === 'llm'));
  });

  it('counts requests as anonymous without keys', async () => {
    const s = await stats(c);
    expect(s.keys_required).toBe(false);
    const anon = s.clients.find((x) => x.name === 'anonymous')!;
    expect(anon.requests).toBeGreaterThan(10);
    expect(anon.errors).toBeGreaterThan(0);
    expect(anon.latency_ms.p50).toBeGreaterThan(0);
    expect(anon.latency_ms.p95).toBeGreaterThanOrEqual(anon.latency_ms.p50!);
  });
});

describe('gateway /v1 with API keys', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ env: { GATEWAY_API_KEYS: 'cron:secret1,webui:secret2' } });
  });
  afterAll(async () => c?.close());

  const client = (apiKey: string) => new OpenAI({ baseURL: `${c.url}/v1`, apiKey, maxRetries: 0 });

  it('requires a valid Bearer key on every /v1 route', async () => {
    for (const call of [
      (o: OpenAI) => o.models.list(),
      (o: OpenAI) => o.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    ]) {
      const err = await failure(call(client('wrong')));
      expect(err).toBeInstanceOf(APIError);
      expect(err.status).toBe(401);
      expect(err.error).toMatchObject({ type: 'authentication_error', message: 'Invalid API key.' });
    }
    const res = await fetch(`${c.url}/v1/models`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.text()).toMatch(/requires an API key/);
  });

  it('serves a request with the right key and counts it under the key name only', async () => {
    const cron = client('secret1');
    const model = await waitFor(async () => (await cron.models.list()).data[0]?.id);
    const res = await cron.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0]?.message.content).toContain('hi');

    const s = await stats(c);
    expect(JSON.stringify(s)).not.toMatch(/secret/);
    const by = Object.fromEntries(s.clients.map((x) => [x.name, x]));
    expect(s.keys_required).toBe(true);
    expect(by.cron).toMatchObject({ errors: 0 });
    expect(by.cron!.requests).toBeGreaterThanOrEqual(2);
    expect(by.cron!.latency_ms.window).toBe(by.cron!.requests);
    expect(by.webui).toMatchObject({ requests: 0, latency_ms: { p50: null, p95: null, window: 0 } });
    expect(by.anonymous).toMatchObject({ requests: 3, errors: 3 });
  });
});
