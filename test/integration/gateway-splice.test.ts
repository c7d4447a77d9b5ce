// The fast path's splice relay (gateway/splice-relay.ts) against the simulator's fake vLLM: its
// streams reach the client byte for byte, its upstream connections are reused from request to
// request (vLLM's access log names the gateway's source port), and a fault on one stream — a 404
// before the first byte, a crash mid-stream, a client that leaves — neither breaks the streams
// running beside it nor leaves a broken connection in the pool for the next one.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, vllmMetric, waitFor, type TestCluster } from '../helpers/harness.js';

const LONG_PROMPT = 'a '.repeat(80).trim();

describe('gateway splice relay over the simulator', () => {
  let c: TestCluster;
  let client: OpenAI;
  let model: string;
  const chat = (content: string) => ({ model, messages: [{ role: 'user' as const, content }] });
  /** The text of a streamed chat, or the error it ended with. */
  const streamText = async (content: string, m = model) => {
    const stream = await client.chat.completions.create({
      model: m,
      messages: [{ role: 'user', content }],
      stream: true,
    });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    return text;
  };
  /** vLLM's access-log lines for streamed chats so far: the gateway's source port of each. */
  const chatPorts = (): number[] =>
    c.sim.nodes
      // The simulator keeps each node's container logs beside its home (src/sim/containers.ts).
      .map((n) => join(dirname(n.home), 'state', 'logs', 'vllm_node.log'))
      .filter((p) => existsSync(p))
      .flatMap((p) => readFileSync(p, 'utf8').split('\n'))
      .flatMap((l) => {
        const m = /127\.0\.0\.1:(\d+) - "POST \/v1\/chat\/completions HTTP\/1\.1" 200/.exec(l);
        return m ? [Number(m[1])] : [];
      });

  beforeAll(async () => {
    c = await startTestCluster({ speed: 1 });
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
    model = await waitFor(
      async () => (await client.models.list()).data.find((m) => m.owned_by === 'vllm')?.id,
    );
  });
  afterAll(async () => c?.close());

  it('carries one stream after another over the same upstream connection, each whole', async () => {
    const before = chatPorts().length;
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) texts.push(await streamText(`count ${i} and more`));
    for (const [i, t] of texts.entries()) expect(t).toContain(`${i}`);
    const ports = chatPorts().slice(before);
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(1);
  });

  it('keeps streams beside a 404 and a mid-stream crash whole, and the pool healthy after', async () => {
    const ok = Array.from({ length: 6 }, (_, i) => streamText(`side stream ${i}`));
    const missing = client.chat.completions.create({ ...chat('hi'), model: 'nope/x', stream: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(await missing).toBeInstanceOf(NotFoundError);
    for (const [i, t] of (await Promise.all(ok)).entries()) expect(t).toContain(`side stream ${i}`);

    c.sim.faults.vllmCrashMidStream(true);
    try {
      const res = await fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat(LONG_PROMPT), stream: true }),
      });
      const events = (await res.text()).split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      expect(events.at(-2)).toContain('"code":"stream_interrupted"');
      expect(events.slice(0, -2).every((e) => e.startsWith('data: {"id":"chatcmpl-'))).toBe(true);
    } finally {
      c.sim.faults.vllmCrashMidStream(false);
    }
    // The connections those used are either back in the pool, sound, or gone: the next streams work.
    for (let i = 0; i < 3; i++) expect(await streamText(`after ${i}`)).toContain(`after ${i}`);
  });

  it("closes vLLM's request when the client leaves, and serves the next stream", async () => {
    c.sim.faults.vllmTokenDelay(1000);
    try {
      const ac = new AbortController();
      const res = await fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat(LONG_PROMPT), stream: true }),
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 1, 5000, 10);
      ac.abort();
      await waitFor(async () => (await vllmMetric(c, 'vllm:num_requests_running')) === 0, 15_000, 20);
    } finally {
      c.sim.faults.vllmTokenDelay(null);
    }
    expect(await streamText('after the abort')).toContain('after the abort');
  });
});
