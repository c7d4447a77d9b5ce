// Swap on request: a chat request for a catalog model that is not loaded swaps to it and waits,
// sharing one swap between concurrent requests; streaming clients see loading notices.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, ModelsResponse } from '../../src/common/api.js';
import { getJson, startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';

const chat = (url: string, model: string, stream = false) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] }),
  });

const swapJobs = async (c: TestCluster) =>
  (await getJson<{ jobs: JobInfo[] } | JobInfo[]>(`${c.url}/api/jobs?kind=swap`)).body;
const countSwaps = async (c: TestCluster) => {
  const body = await swapJobs(c);
  return (Array.isArray(body) ? body : body.jobs).length;
};

describe('swap on request', () => {
  let c: TestCluster;
  let models: ModelsResponse['models'];
  beforeAll(async () => {
    c = await startTestCluster({ speed: 0.03, env: { SWAP_ON_REQUEST: 'yes' } });
    await waitFor(async () => (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_key);
    models = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models;
  });
  afterAll(async () => c?.close());

  const solo = () => models.filter((m) => m.mode === 'solo' && m.warnings.length === 0);

  it('swaps for a request naming a catalog model that is not loaded, once for concurrent requests', async () => {
    const target = solo().find((m) => !m.loaded)!;
    const before = await countSwaps(c);
    const client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x' });
    const ask = () =>
      client.chat.completions.create({
        model: target.served_model_name,
        max_tokens: 4,
        messages: [{ role: 'user', content: 'hi' }],
      });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.model).toBe(target.served_model_name);
    expect(b.choices[0]?.message).toBeDefined();
    expect((await countSwaps(c)) - before).toBe(1);
  });

  it('sends streaming clients loading notices, then the model’s stream', async () => {
    const loaded = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_model;
    const pick = solo().find((m) => m.served_model_name !== loaded)!;
    const res = await chat(c.url, pick.served_model_name, true);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(': spark-control: loading');
    expect(text).toContain('data: [DONE]');
  });

  it('lets a held client that leaves go at once: the swap goes on, vLLM never runs its request', async () => {
    const loaded = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_model;
    const target = solo().find((m) => m.served_model_name !== loaded)!;
    const ac = new AbortController();
    const held = fetch(`${c.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: target.served_model_name, messages: [{ role: 'user', content: 'hi' }] }),
      signal: ac.signal,
    }).catch((e: Error) => e);
    await waitFor(async () => (await getJson<{ swap: unknown }>(`${c.url}/api/status`)).body.swap);
    ac.abort();
    expect(await held).toBeInstanceOf(Error);
    await waitFor(
      async () =>
        (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_model === target.served_model_name,
      30_000,
    );
    // Nothing asked the new engine for that generation after the model came up (its counters
    // start at zero)…
    await new Promise((r) => setTimeout(r, 500));
    expect(await vllmMetric(c, 'vllm:request_success_total')).toBe(0);
    expect(await vllmMetric(c, 'vllm:num_requests_running')).toBe(0);
    // …while a client that stays is served and counted.
    expect((await chat(c.url, target.served_model_name)).status).toBe(200);
    expect(await vllmMetric(c, 'vllm:request_success_total')).toBe(1);
  });

  it('refuses with 409 while the GPU is locked by someone else, and leaves other models to vLLM', async () => {
    const loaded = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_model;
    const other = solo().find((m) => m.served_model_name !== loaded)!;
    await fetch(`${c.url}/api/swap/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'batch', ttl_s: 60 }),
    });
    try {
      const res = await chat(c.url, other.served_model_name);
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/locked by batch/);
    } finally {
      await fetch(`${c.url}/api/swap/lock`, { method: 'DELETE' });
    }
    const unknown = await chat(c.url, 'not/in-the-catalog');
    expect(unknown.status).toBe(404);
  });
});

describe('swap on request, off (the default)', () => {
  it('passes a request for a model that is not loaded to vLLM, which answers 404', async () => {
    const c = await startTestCluster({ speed: 0.03 });
    try {
      await waitFor(async () => (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.loaded_key);
      const models = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models;
      const other = models.find((m) => !m.loaded && m.mode === 'solo')!;
      const res = await chat(c.url, other.served_model_name);
      expect(res.status).toBe(404);
      expect(await countSwaps(c)).toBe(0);
    } finally {
      await c.close();
    }
  });
});
