import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from './index.js';
import { startTestCluster, type TestCluster } from './testing.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startTestCluster();
});
afterAll(() => tc.dispose());

const url = (path: string): string => `${tc.sim.vllm.url}${path}`;
/** Faults flip the listener asynchronously; wait until /health shows the expected reachability. */
async function until(reachable: boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(url('/health')).then(
      () => true,
      () => false,
    );
    if (ok === reachable) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
const post = (path: string, body: unknown): Promise<Response> =>
  fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('fake vLLM', () => {
  it('serves the default model in vLLM’s /v1/models shape', async () => {
    const res = await fetch(url('/v1/models'));
    const body = await res.json();
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      id: DEFAULT_MODEL,
      object: 'model',
      owned_by: 'vllm',
      root: DEFAULT_MODEL,
      parent: null,
      max_model_len: 262144,
    });
    expect(body.data[0].permission[0]).toMatchObject({
      object: 'model_permission',
      allow_sampling: true,
      group: null,
    });
    expect(body.data[0].permission[0].id).toMatch(/^modelperm-/);
  });

  it('answers /health with an empty 200, /version and /metrics', async () => {
    const health = await fetch(url('/health'));
    expect([health.status, await health.text()]).toEqual([200, '']);
    expect(await (await fetch(url('/version'))).json()).toHaveProperty('version');
    const metrics = await (await fetch(url('/metrics'))).text();
    for (const name of ['num_requests_running', 'num_requests_waiting', 'kv_cache_usage_perc']) {
      expect(metrics).toContain(`vllm:${name}{engine="0",model_name="${DEFAULT_MODEL}"}`);
    }
    expect(metrics).toContain('# TYPE vllm:time_to_first_token_seconds histogram');
  });

  it('completes a chat without streaming', async () => {
    const res = await post('/v1/chat/completions', {
      model: DEFAULT_MODEL,
      messages: [{ role: 'user', content: 'ping' }],
    });
    const body = await res.json();
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content).toContain('ping');
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams chat chunks: role first, content, finish, usage, [DONE]', async () => {
    const res = await post('/v1/chat/completions', {
      model: DEFAULT_MODEL,
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toContain('hello');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: expect.any(Number) } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('streams legacy completions and honours max_tokens', async () => {
    const res = await post('/v1/completions', { prompt: 'Once', max_tokens: 3, stream: true });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(chunks.filter((c) => c.choices[0].text !== '')).toHaveLength(3);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
  });

  it('uses vLLM’s error envelope for unknown models and bad JSON', async () => {
    const missing = await post('/v1/chat/completions', { model: 'nope/model', messages: [] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        message: 'The model `nope/model` does not exist.',
        type: 'NotFoundError',
        param: 'model',
        code: 404,
      },
    });
    const bad = await post('/v1/chat/completions', '{not json');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ type: 'BadRequestError', code: 400 });
  });

  it('refuses connections while vllmDown is on, and comes back on the same port', async () => {
    tc.sim.faults.vllmDown();
    await until(false);
    await expect(fetch(url('/health'))).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    tc.sim.faults.vllmUp();
    await until(true);
    expect((await fetch(url('/health'))).status).toBe(200);
  });

  it('goes unreachable with its head node and back with it', async () => {
    await tc.sim.faults.nodeDown(tc.sim.nodes[0]!.name);
    await until(false);
    await expect(fetch(url('/health'))).rejects.toThrow();
    await tc.sim.faults.nodeUp(tc.sim.nodes[0]!.name);
    await until(true);
    expect((await fetch(url('/health'))).status).toBe(200);
  });

  it('exposes the faults over the control API', async () => {
    const state = await (await fetch(`${tc.sim.controlUrl}/state`)).json();
    expect(state.vllm).toMatchObject({ model: DEFAULT_MODEL, phase: 'ready', serving: true });
    expect(state.nodes.map((n: { name: string }) => n.name)).toEqual(['spark1', 'spark2']);
    const down = await fetch(`${tc.sim.controlUrl}/vllm/down`, { method: 'POST' });
    expect(down.status).toBe(200);
    expect((await (await fetch(`${tc.sim.controlUrl}/state`)).json()).vllm.serving).toBe(false);
    await fetch(`${tc.sim.controlUrl}/vllm/up`, { method: 'POST' });
    const bad = await fetch(`${tc.sim.controlUrl}/nodes/spark9/down`, { method: 'POST' });
    expect(bad.status).toBe(404);
  });
});
