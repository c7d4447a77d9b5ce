// The redacting chat path end to end against the simulated vLLM on 127.0.0.1: scrub the request,
// let the fake model echo the placeholders back (it quotes the last user message, word by word,
// and thinks about it in `reasoning`), and rehydrate its real SSE bytes as they arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVllm, type FakeVllm } from '../../../../sim/vllm/test-server.js';
import { createChatSseRehydrator, rehydrateChatCompletion, scrubChatRequest } from './sse-rehydrate.js';
import { TaskMap } from './task-map.js';
import type { Detector } from './types.js';

const MODEL = 'Qwen/Qwen3-8B';
const detect = (type: string, re: RegExp): Detector => ({
  type,
  priority: 1,
  detect: (text) => [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
});
const detectors = [detect('EMAIL', /[a-z.]+@[a-z]+\.[a-z]+/g), detect('PERSON', /Ann Lee|Zoë Brandt/g)];
const USER = 'Ann Lee (ann.lee@example.com) asks Zoë Brandt';

let v: FakeVllm;
beforeAll(async () => {
  v = await startFakeVllm(MODEL, ['--reasoning-parser', 'qwen3'], 0.002);
});
afterAll(async () => {
  await v.close();
});

function scrubbed(extra: Record<string, unknown>) {
  const table = new TaskMap();
  const { body } = scrubChatRequest(
    { model: MODEL, messages: [{ role: 'user', content: USER }], ...extra },
    detectors,
    table,
  );
  expect(JSON.stringify(body)).not.toMatch(/Ann Lee|ann\.lee@|Zoë/);
  return { table, body };
}

describe('rehydrating the simulated vLLM', () => {
  it('streams (n = 2, usage) back with the original values, chunk boundaries wherever the socket put them', async () => {
    const { table, body } = scrubbed({ stream: true, n: 2, stream_options: { include_usage: true } });
    const res = await v.post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    const sse = createChatSseRehydrator(table);
    let out = '';
    let raw = '';
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      raw += new TextDecoder().decode(r.value);
      out += sse.push(r.value);
    }
    out += sse.end();
    expect(raw).toContain('[PERSON_1]'); // the model did answer with placeholders
    const text: Record<string, string> = {};
    for (const line of out.split('\n')) {
      if (!line.startsWith('data: {')) continue;
      for (const c of (
        JSON.parse(line.slice(6)) as { choices: { index: number; delta: Record<string, string> }[] }
      ).choices) {
        for (const f of ['content', 'reasoning'] as const)
          if (c.delta[f]) text[`${c.index}.${f}`] = (text[`${c.index}.${f}`] ?? '') + c.delta[f];
      }
    }
    for (const i of [0, 1]) {
      expect(text[`${i}.content`]).toContain(`You said: "${USER}"`);
      expect(text[`${i}.reasoning`]).toContain('Ann Lee (ann.lee@example.com)');
    }
    expect(out).not.toMatch(/\[(PERSON|EMAIL)_\d\]/);
    expect(out).toContain('"usage":');
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('answers (not streamed) with the original values', async () => {
    const { table, body } = scrubbed({});
    const res = await v.post('/v1/chat/completions', body);
    const json = (await res.json()) as { choices: { message: { content: string; reasoning?: string } }[] };
    expect(json.choices[0]!.message.content).toContain('[EMAIL_1]');
    const back = rehydrateChatCompletion(json, table);
    expect(back.choices[0]!.message.content).toContain(`You said: "${USER}"`);
    expect(back.choices[0]!.message.reasoning).toContain('Ann Lee');
  });
});
