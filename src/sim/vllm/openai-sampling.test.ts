// n, logprobs, stream_options, the finish chunk, validation order, engine-dead /health and the
// metrics of aborted requests, against the fake's HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVllm, sseChunks, startFakeVllm } from './test-server.js';

const MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';
const ask = (content: string) => [{ role: 'user', content }];

let v: FakeVllm;
beforeAll(async () => {
  v = await startFakeVllm(MODEL);
});
afterAll(async () => v?.close());

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${v.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(' ').at(-1));
};

describe('n choices', () => {
  it('answers n choices, each with its index, usage summed over them', async () => {
    const one = await (await v.post('/v1/chat/completions', { messages: ask('hi') })).json();
    const three = await (await v.post('/v1/chat/completions', { messages: ask('hi'), n: 3 })).json();
    expect(three.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
    expect(three.usage.completion_tokens).toBe(3 * one.usage.completion_tokens);
    const completions = await (
      await v.post('/v1/completions', { prompt: 'Once', n: 2, max_tokens: 4 })
    ).json();
    expect(completions.choices).toHaveLength(2);
    expect(completions.usage.completion_tokens).toBe(8);
  });

  it('streams a role chunk, tokens and a finish per index', async () => {
    const { chunks } = await sseChunks(
      await v.post('/v1/chat/completions', { messages: ask('hi'), n: 2, stream: true, max_tokens: 5 }),
    );
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index).map((c) => c.choices[0]);
      expect(mine[0].delta).toEqual({ role: 'assistant', content: '' });
      expect(mine.slice(1)).toHaveLength(5);
      expect(mine.at(-1).finish_reason).toBe('length');
    }
  });

  it('refuses n < 1', async () => {
    const res = await v.post('/v1/chat/completions', { messages: ask('hi'), n: 0 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('n must be at least 1, got 0.');
  });
});

describe('logprobs', () => {
  it('chat: content entries with token, logprob, bytes and top_logprobs, streamed per chunk', async () => {
    const body = await (
      await v.post('/v1/chat/completions', { messages: ask('hi'), logprobs: true, top_logprobs: 3 })
    ).json();
    const { content } = body.choices[0].logprobs;
    expect(content.map((e: { token: string }) => e.token).join('')).toBe(body.choices[0].message.content);
    for (const e of content) {
      expect(e.logprob).toBeLessThanOrEqual(0);
      expect(Buffer.from(e.bytes).toString('utf8')).toBe(e.token);
      expect(e.top_logprobs).toHaveLength(3);
      expect(e.top_logprobs[0]).toEqual({ token: e.token, logprob: e.logprob, bytes: e.bytes });
      expect(e.top_logprobs[1].logprob).toBeLessThan(e.logprob);
    }
    const { chunks } = await sseChunks(
      await v.post('/v1/chat/completions', { messages: ask('hi'), logprobs: true, stream: true }),
    );
    expect(chunks[0].choices[0].logprobs).toBeNull();
    for (const c of chunks.slice(1)) {
      expect(c.choices[0].logprobs.content).toEqual([
        expect.objectContaining({ token: c.choices[0].delta.content, top_logprobs: [] }),
      ]);
    }
    const none = await (await v.post('/v1/chat/completions', { messages: ask('hi') })).json();
    expect(none.choices[0].logprobs).toBeNull();
  });

  it('completions: text_offset, token_logprobs, tokens and top_logprobs dicts', async () => {
    const body = await (
      await v.post('/v1/completions', { prompt: 'Once', logprobs: 2, max_tokens: 6 })
    ).json();
    const lp = body.choices[0].logprobs;
    expect(lp.tokens.join('')).toBe(body.choices[0].text);
    expect(lp.tokens).toHaveLength(6);
    lp.tokens.forEach((t: string, i: number) => {
      expect(lp.text_offset[i]).toBe(lp.tokens.slice(0, i).join('').length);
      expect(lp.top_logprobs[i][t]).toBe(lp.token_logprobs[i]);
      expect(Object.keys(lp.top_logprobs[i])).toHaveLength(2);
    });
  });

  it('top_logprobs without logprobs, and negative logprobs, are 400s naming the parameter', async () => {
    const chat = await v.post('/v1/chat/completions', { messages: ask('hi'), top_logprobs: 2 });
    expect(chat.status).toBe(400);
    expect((await chat.json()).error).toMatchObject({
      message: expect.stringContaining('when using `top_logprobs`, `logprobs` must be set to true.'),
      param: 'top_logprobs',
    });
    const completion = await v.post('/v1/completions', { prompt: 'x', logprobs: -1 });
    expect((await completion.json()).error).toMatchObject({ param: 'logprobs', code: 400 });
  });
});

describe('streaming rules', () => {
  it('stream_options without stream=True → vLLM’s 400, even for an unknown model', async () => {
    for (const [path, extra] of [
      ['/v1/chat/completions', { messages: ask('hi') }],
      ['/v1/completions', { prompt: 'x' }],
    ] as const) {
      const res = await v.post(path, { ...extra, model: 'nope', stream_options: { include_usage: true } });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.message).toContain('Stream options can only be defined when `stream=True`.');
      expect(error).toMatchObject({ param: 'stream_options', code: 400 });
    }
    const ok = await v.post('/v1/chat/completions', {
      messages: ask('hi'),
      stream: false,
      stream_options: null,
    });
    expect(ok.status).toBe(200);
  });

  it('the finish reason rides the chunk with the last token: no empty finish chunk', async () => {
    for (const path of ['/v1/chat/completions', '/v1/completions']) {
      const { chunks, done } = await sseChunks(
        await v.post(path, { messages: ask('hi'), prompt: 'Once', stream: true }),
      );
      expect(done).toBe(true);
      const last = chunks.at(-1)!.choices[0];
      expect(last.finish_reason).toBe('stop');
      expect(last.stop_reason).toBeNull();
      expect(last.delta?.content ?? last.text).not.toBe('');
      expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    }
  });

  it('unknown model: 404 with param "model"', async () => {
    const res = await v.post('/v1/chat/completions', { model: 'x/y', messages: ask('hi'), stream: true });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: 'The model `x/y` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    });
  });
});

describe('engine health and accounting', () => {
  it('/health answers an empty 503 while the engine is dead but the server up; generation 500s', async () => {
    v.server.setFaults({ engineDead: true });
    try {
      const health = await fetch(`${v.url}/health`);
      expect([health.status, await health.text()]).toEqual([503, '']);
      const chat = await v.post('/v1/chat/completions', { messages: ask('hi') });
      expect(chat.status).toBe(500);
      expect((await chat.json()).error.type).toBe('InternalServerError');
    } finally {
      v.server.setFaults({ engineDead: false });
    }
    expect((await fetch(`${v.url}/health`)).status).toBe(200);
  });

  it('an aborted stream’s tokens count in generation_tokens_total; running drops; no success', async () => {
    v.server.setFaults({ tokenDelayMs: 15 });
    const before = await metric('vllm:generation_tokens_total');
    const successBefore = await metric('vllm:request_success_total');
    const ac = new AbortController();
    const res = await v.post(
      '/v1/completions',
      { prompt: 'x', stream: true, max_tokens: 500 },
      { signal: ac.signal },
    );
    const reader = res.body!.getReader();
    let seen = 0;
    let raw = '';
    while (seen < 4) {
      const { value } = await reader.read();
      raw += Buffer.from(value!).toString();
      seen = raw.split('\n\n').filter((e) => e.startsWith('data: {')).length;
    }
    expect(await metric('vllm:num_requests_running')).toBe(1);
    ac.abort();
    for (let i = 0; i < 200 && (await metric('vllm:num_requests_running')) !== 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    v.server.setFaults({ tokenDelayMs: null });
    expect(await metric('vllm:num_requests_running')).toBe(0);
    const after = await metric('vllm:generation_tokens_total');
    expect(after - before).toBeGreaterThanOrEqual(seen);
    expect(after - before).toBeLessThan(500);
    expect(await metric('vllm:request_success_total')).toBe(successBefore);
  });
});
