import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './testing.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startTestCluster({ speed: 0.02 });
});
afterAll(() => tc.dispose());
afterEach(() => {
  const f = tc.sim.faults;
  f.vllmCrashMidStream(false);
  f.vllmError(null);
  f.vllmSlowFirstToken(0);
  f.vllmTokenDelay(null);
});

const chat = (extra: Record<string, unknown> = {}, path = '/v1/chat/completions'): Promise<Response> =>
  fetch(`${tc.sim.vllm.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], prompt: 'Once', ...extra }),
  });
const control = (path: string, body: unknown): Promise<Response> =>
  fetch(`${tc.sim.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });

/** Reads a stream to its end (or break); `events` are the SSE data payloads received. */
async function drain(res: Response): Promise<{ events: string[]; error: unknown; firstChunkMs: number }> {
  const started = Date.now();
  let firstChunkMs = -1;
  let raw = '';
  let error: unknown = null;
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (firstChunkMs < 0) firstChunkMs = Date.now() - started;
      raw += Buffer.from(value).toString();
    }
  } catch (e) {
    error = e;
  }
  const events = raw
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''));
  return { events, error, firstChunkMs };
}
const contentOf = (events: string[]): string[] =>
  events
    .filter((e) => e !== '[DONE]')
    .map((e) => JSON.parse(e).choices[0]?.delta?.content)
    .filter((c: string | undefined) => c);

describe('fake vLLM faults', () => {
  it('crash mid-stream: a few chunks, then the socket dies without [DONE]', async () => {
    expect((await control('/vllm/crash-mid-stream', { on: true })).status).toBe(200);
    const res = await chat({ stream: true });
    expect(res.status).toBe(200);
    const { events, error } = await drain(res);
    expect(error).toBeTruthy(); // the client sees the connection end mid-body
    expect(events).not.toContain('[DONE]');
    expect(contentOf(events)).toHaveLength(3);
    await expect(chat()).rejects.toThrow(); // non-streaming: no answer at all

    await control('/vllm/crash-mid-stream', { on: false });
    const ok = await drain(await chat({ stream: true }));
    expect([ok.error, ok.events.at(-1)]).toEqual([null, '[DONE]']);
  });

  it('error fault: every chat/completions answers the status in vLLM’s envelope', async () => {
    expect((await control('/vllm/error', { status: 503 })).status).toBe(200);
    for (const res of [await chat(), await chat({ stream: true }), await chat({}, '/v1/completions')]) {
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: { message: 'Service Unavailable', type: 'ServiceUnavailableError', param: null, code: 503 },
      });
    }
    tc.sim.faults.vllmError(500);
    expect((await (await chat()).json()).error).toMatchObject({ type: 'InternalServerError', code: 500 });
    expect((await fetch(`${tc.sim.vllm.url}/v1/models`)).status).toBe(200);
    expect((await control('/vllm/error', { status: 200 })).status).toBe(400);
    await control('/vllm/error', { status: null });
    expect((await chat()).status).toBe(200);
  });

  it('slow first token delays the first chunk', async () => {
    expect((await control('/vllm/slow-first-token', { ms: 300 })).status).toBe(200);
    const { firstChunkMs, events } = await drain(await chat({ stream: true }));
    expect(firstChunkMs).toBeGreaterThanOrEqual(280);
    expect(events.at(-1)).toBe('[DONE]');
  });

  it('max_tokens streams exactly that many one-token chunks, at the configured delay', async () => {
    tc.sim.faults.vllmTokenDelay(0);
    const many = await drain(
      await chat({ stream: true, max_tokens: 200, stream_options: { include_usage: true } }),
    );
    expect(contentOf(many.events)).toHaveLength(200);
    const last = JSON.parse(many.events.at(-2)!);
    expect(last.usage.completion_tokens).toBe(200);
    expect(JSON.parse(many.events.at(-3)!).choices[0].finish_reason).toBe('length');

    expect((await control('/vllm/token-delay', { ms: 15 })).status).toBe(200);
    const started = Date.now();
    const slow = await drain(await chat({ stream: true, max_tokens: 20 }));
    expect(contentOf(slow.events)).toHaveLength(20);
    // 19 gaps between 20 tokens (the first follows the time to first token); Node's timers may
    // fire up to 1 ms early against Date.now(), so allow that per gap.
    expect(Date.now() - started).toBeGreaterThanOrEqual(19 * (15 - 1));

    const body = await (await chat({ max_tokens: 7 })).json();
    expect(body.usage.completion_tokens).toBe(7);
    expect(body.choices[0].finish_reason).toBe('length');
  });

  it('refuses max_tokens the context cannot hold, like vLLM', async () => {
    const res = await chat({ max_tokens: 10_000_000 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/maximum context length is 262144 tokens/);
    expect((await chat({ max_tokens: 0 })).status).toBe(400);
  });
});
