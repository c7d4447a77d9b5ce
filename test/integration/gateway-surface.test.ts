// The gateway's wider OpenAI/vLLM surface as real clients use it — the official `openai` package,
// the Vercel AI SDK (`@ai-sdk/openai`, whose default model speaks the Responses API, and
// `@ai-sdk/openai-compatible`) and LangChain's ChatOpenAI/OpenAIEmbeddings — against the real
// server relaying to the simulator's fake vLLM, speech services and embeddings server.
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { generateText, streamText } from 'ai';
import OpenAI, { NotFoundError, type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayStatsResponse } from '../../src/server/modules/gateway/stats.js';
import { getJson, startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';

const EMBEDDING_MODEL = 'nomic-ai/nomic-embed-text-v1.5';
const kindOf = (m: unknown) => (m as { spark_control?: { kind?: string } }).spark_control?.kind;

/** The APIError a call fails with (a call that succeeds yields a plain Error and fails the test). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected the call to fail') as APIError,
    (e: unknown) => e as APIError,
  );

describe('gateway surface: models, responses, vLLM utilities, SDKs', () => {
  let c: TestCluster;
  let client: OpenAI;
  let model: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${c.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    c = await startTestCluster();
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    // Every kind present: vLLM loaded and the speech services' first health checks done.
    model = await waitFor(async () => {
      const data = (await client.models.list()).data;
      return new Set(data.map(kindOf)).size === 4 ? data.find((m) => kindOf(m) === 'llm')?.id : undefined;
    }, 30_000);
  });
  afterAll(async () => c?.close());

  it('lists one entry per model, not per voice, each an OpenAI model object with its kind', async () => {
    const { data } = await client.models.list();
    expect(data.map((m) => [kindOf(m), m.id])).toEqual([
      ['llm', model],
      ['stt', 'nvidia/parakeet-tdt-0.6b-v2'],
      ['tts', 'magpie-tts-multilingual'],
      ['embeddings', EMBEDDING_MODEL],
    ]);
    for (const m of data) {
      expect(m).toMatchObject({ object: 'model', created: expect.any(Number), owned_by: expect.any(String) });
      expect(Number.isInteger(m.created) && m.created > 0).toBe(true);
    }
    expect(data.find((m) => kindOf(m) === 'tts')?.owned_by).toBe('magpie');
  });

  it('lists every voice as well with ?voices=1 (old consumers)', async () => {
    const { status, body } = await getJson<{ data: { id: string; spark_control: object }[] }>(
      `${c.url}/v1/models?voices=1`,
    );
    expect(status).toBe(200);
    const tts = body.data.filter((m) => kindOf(m) === 'tts');
    expect(tts.length).toBeGreaterThan(10);
    expect(tts[0]?.id).toBe('magpie-tts-multilingual');
    expect(tts.find((m) => m.id === 'Magpie-Multilingual.EN-US.Aria')?.spark_control).toEqual({
      kind: 'tts',
      voice: true,
    });
  });

  it('retrieves a model whose id contains "/", and answers model_not_found for an unknown id', async () => {
    expect(model).toContain('/');
    const m = await client.models.retrieve(model);
    expect(m).toMatchObject({ id: model, object: 'model', owned_by: 'vllm' });
    const raw = await getJson<{ id: string }>(`${c.url}/v1/models/${model}`);
    expect(raw).toMatchObject({ status: 200, body: { id: model } });
    expect((await client.models.retrieve('Magpie-Multilingual.EN-US.Aria')).id).toBe(
      'Magpie-Multilingual.EN-US.Aria',
    );

    const err = await failure(client.models.retrieve('nope/missing'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.error).toEqual({
      message: 'The model `nope/missing` does not exist.',
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
    const plain = await fetch(`${c.url}/v1/models/nope/missing`);
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('relays the Responses API, non-streaming', async () => {
    const res = await client.responses.create({ model, input: 'hello responses' });
    expect(res).toMatchObject({ object: 'response', status: 'completed', model });
    expect(res.output_text).toContain('You said: "hello responses"');
    expect(res.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(res.usage?.output_tokens).toBeGreaterThan(0);
    expect(res.usage?.total_tokens).toBe((res.usage?.input_tokens ?? 0) + (res.usage?.output_tokens ?? 0));
  });

  it("streams the Responses API with vLLM's events, the deltas adding up to the final text", async () => {
    const stream = await client.responses.create({ model, input: 'stream it', stream: true });
    const types: string[] = [];
    let text = '';
    let final = '';
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'response.output_text.delta') text += e.delta;
      if (e.type === 'response.completed') {
        const [item] = e.response.output;
        final =
          item?.type === 'message' && item.content[0]?.type === 'output_text' ? item.content[0].text : '';
      }
    }
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(3);
    expect(text).toContain('You said: "stream it"');
    expect(final).toBe(text);
  });

  it("passes vLLM's 404 for an unknown model on /v1/responses with its status", async () => {
    const err = await failure(client.responses.create({ model: 'nope/missing', input: 'x' }));
    expect(err.status).toBe(404);
    expect(err.message).toContain('The model `nope/missing` does not exist.');
  });

  it('aborts the upstream Responses stream when the client leaves', async () => {
    const res = await post('/v1/responses', { model, input: 'a '.repeat(200), stream: true });
    const reader = res.body!.getReader();
    await reader.read();
    expect(await vllmMetric(c, 'vllm:num_requests_running')).toBe(1);
    await reader.cancel();
    await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 0);
  });

  it('tokenizes and detokenizes round trip, at /v1/… and at vLLM’s own paths', async () => {
    const prompt = 'Grüße from the Spark';
    for (const [tok, detok] of [
      ['/v1/tokenize', '/v1/detokenize'],
      ['/tokenize', '/detokenize'],
    ] as const) {
      const t = await post(tok, { model, prompt, add_special_tokens: false });
      expect(t.status).toBe(200);
      const tb = (await t.json()) as { count: number; max_model_len: number; tokens: number[] };
      expect(tb.count).toBe(tb.tokens.length);
      expect(tb.max_model_len).toBeGreaterThan(0);
      const d = await post(detok, { model, tokens: tb.tokens });
      expect(d.status).toBe(200);
      expect(await d.json()).toEqual({ prompt });
    }
    const chat = await post('/tokenize', { model, messages: [{ role: 'user', content: 'hi' }] });
    expect(((await chat.json()) as { count: number }).count).toBeGreaterThan(2);
  });

  it("relays vLLM's errors for the utility routes with their status", async () => {
    const unknown = await post('/tokenize', { model: 'nope/missing', prompt: 'x' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: object }).error).toMatchObject({
      message: 'The model `nope/missing` does not exist.',
      param: 'model',
    });
    const query = { model, query: 'q', documents: ['a', 'b'] };
    for (const path of ['/v1/rerank', '/rerank', '/v2/rerank']) {
      const res = await post(path, query);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          message: 'The model does not support Rerank (Score) API',
          // vLLM's class-name type and numeric code, in OpenAI's words: a snake_case type, a string-or-null code.
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    }
    for (const path of ['/v1/score', '/score']) {
      const res = await post(path, { model, text_1: 'a', text_2: 'b' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'The model does not support Score API',
      );
    }
    const notJson = await fetch(`${c.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": ',
    });
    expect(notJson.status).toBe(400);
  });

  it('drives the Vercel AI SDK: @ai-sdk/openai (Responses API) and @ai-sdk/openai-compatible (chat)', async () => {
    const openai = createOpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x' });
    const viaResponses = await generateText({
      model: openai(model),
      prompt: 'from the AI SDK',
      maxRetries: 0,
    });
    expect(viaResponses.text).toContain('You said: "from the AI SDK"');
    expect(viaResponses.usage.outputTokens).toBeGreaterThan(0);
    const streamed = streamText({ model: openai(model), prompt: 'streamed SDK', maxRetries: 0 });
    let text = '';
    for await (const part of streamed.textStream) text += part;
    expect(text).toContain('You said: "streamed SDK"');

    const compat = createOpenAICompatible({ name: 'spark', baseURL: `${c.url}/v1`, apiKey: 'x' });
    const viaChat = await generateText({
      model: compat.chatModel(model),
      prompt: 'compat chat',
      maxRetries: 0,
    });
    expect(viaChat.text).toContain('You said: "compat chat"');
    const chatStream = streamText({ model: compat.chatModel(model), prompt: 'compat stream', maxRetries: 0 });
    let chatText = '';
    for await (const part of chatStream.textStream) chatText += part;
    expect(chatText).toContain('You said: "compat stream"');
  });

  it("drives LangChain's ChatOpenAI (invoke and stream) and OpenAIEmbeddings", async () => {
    const llm = new ChatOpenAI({
      model,
      apiKey: 'x',
      maxRetries: 0,
      configuration: { baseURL: `${c.url}/v1` },
    });
    const answer = await llm.invoke('from langchain');
    expect(String(answer.content)).toContain('You said: "from langchain"');
    let streamed = '';
    for await (const chunk of await llm.stream('langchain stream')) streamed += String(chunk.content);
    expect(streamed).toContain('You said: "langchain stream"');

    const embeddings = new OpenAIEmbeddings({
      model: EMBEDDING_MODEL,
      apiKey: 'x',
      maxRetries: 0,
      configuration: { baseURL: `${c.url}/v1` },
    });
    const [a, b] = await embeddings.embedDocuments(['a cat', 'a dog']);
    expect(a).toHaveLength(768);
    expect(b).toHaveLength(768);
  });

  it('relays embeddings as float and as base64 (float32 little-endian)', async () => {
    const asFloat = await client.embeddings.create({
      model: EMBEDDING_MODEL,
      input: 'x',
      encoding_format: 'float',
    });
    const vector = asFloat.data[0]!.embedding;
    expect(vector).toHaveLength(768);
    const raw = await post('/v1/embeddings', {
      model: EMBEDDING_MODEL,
      input: 'x',
      encoding_format: 'base64',
    });
    const encoded = ((await raw.json()) as { data: { embedding: string }[] }).data[0]!.embedding;
    const bytes = Buffer.from(encoded, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(vector);
    // The official client asks for base64 by default and decodes it: the same vector.
    const byDefault = await client.embeddings.create({ model: EMBEDDING_MODEL, input: 'x' });
    expect(byDefault.data[0]!.embedding).toEqual(vector);
  });

  it('requires an API key on the new routes, vLLM paths included, and counts them per key', async () => {
    c.config.api_keys = [{ name: 'surface-app', key: 'secret-surface-key' }];
    await c.restart();
    for (const path of ['/v1/responses', '/v1/tokenize', '/tokenize', '/rerank', '/score']) {
      expect((await post(path, { model, prompt: 'x', input: 'x' })).status).toBe(401);
    }
    const ok = await post(
      '/tokenize',
      { model, prompt: 'x' },
      { authorization: 'Bearer secret-surface-key' },
    );
    expect(ok.status).toBe(200);
    const keyed = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'secret-surface-key', maxRetries: 0 });
    expect((await keyed.responses.create({ model, input: 'keyed' })).output_text).toContain('keyed');
    const stats = (await getJson<GatewayStatsResponse>(`${c.url}/api/gateway/stats`)).body;
    expect(stats.clients.find((s) => s.name === 'surface-app')?.requests).toBe(2);
  });
});
