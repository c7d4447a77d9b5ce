// Tools, tool_choice, structured output and reasoning, against the fake's HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeVllm, sseChunks, startFakeVllm } from './test-server.js';

const MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1 },
      },
      required: ['city', 'unit'],
    },
  },
};
const clock = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};
const Args = z.object({
  city: z.string(),
  unit: z.enum(['celsius', 'fahrenheit']),
  days: z.number().int().min(1),
});
const ask = (content: string) => [{ role: 'user', content }];

let tools: FakeVllm;
let plain: FakeVllm;
let parserOnly: FakeVllm;
beforeAll(async () => {
  [tools, plain, parserOnly] = await Promise.all([
    startFakeVllm(MODEL, ['--enable-auto-tool-choice', '--tool-call-parser', 'hermes']),
    startFakeVllm(MODEL),
    startFakeVllm(MODEL, ['--tool-call-parser=hermes']),
  ]);
});
afterAll(async () => {
  await Promise.all([tools, plain, parserOnly].map((v) => v?.close()));
});

describe('tool calls', () => {
  it('auto: calls the first tool with arguments that satisfy its schema, finish tool_calls', async () => {
    const res = await tools.post('/v1/chat/completions', {
      messages: ask('weather in Oslo?'),
      tools: [weather, clock],
    });
    expect(res.status).toBe(200);
    const choice = (await res.json()).choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls[0];
    expect(call.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    expect(call.type).toBe('function');
    expect(call.function.name).toBe('get_weather');
    expect(Args.parse(JSON.parse(call.function.arguments))).toMatchObject({ unit: 'celsius' });
  });

  it('auto: answers in text once the last message is a tool result', async () => {
    const messages = [
      ...ask('weather?'),
      {
        role: 'assistant',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: '12 degrees' },
    ];
    const body = await (await tools.post('/v1/chat/completions', { messages, tools: [weather] })).json();
    expect(body.choices[0]).toMatchObject({ finish_reason: 'stop', message: { tool_calls: [] } });
    expect(body.choices[0].message.content).toContain('simulated DGX Spark');
  });

  it('streams a call as vLLM does: id/type/name first, then argument fragments, finish on the last', async () => {
    const res = await tools.post('/v1/chat/completions', {
      messages: ask('weather?'),
      tools: [weather],
      stream: true,
    });
    const { chunks, done } = await sseChunks(res);
    expect(done).toBe(true);
    expect(chunks[0]!.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const deltas = chunks.slice(1).map((c) => c.choices[0]);
    const first = deltas[0].delta.tool_calls[0];
    expect(first).toEqual({
      index: 0,
      id: expect.stringMatching(/^chatcmpl-tool-/),
      type: 'function',
      function: { name: 'get_weather' },
    });
    const rest = deltas.slice(1);
    expect(rest.length).toBeGreaterThan(1);
    for (const d of rest) expect(Object.keys(d.delta.tool_calls[0]).sort()).toEqual(['function', 'index']);
    const args = rest.map((d) => d.delta.tool_calls[0].function.arguments).join('');
    expect(Args.safeParse(JSON.parse(args)).success).toBe(true);
    expect(deltas.map((d) => d.finish_reason)).toEqual([
      ...Array(deltas.length - 1).fill(null),
      'tool_calls',
    ]);
  });

  it('named tool: that tool, content "", finish stop (OpenAI’s rule); required: the first tool, tool_calls', async () => {
    const named = await (
      await tools.post('/v1/chat/completions', {
        messages: ask('time?'),
        tools: [weather, clock],
        tool_choice: { type: 'function', function: { name: 'get_time' } },
      })
    ).json();
    expect(named.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '' } });
    expect(named.choices[0].message.tool_calls[0].function).toEqual({ name: 'get_time', arguments: '{}' });
    const required = await (
      await tools.post('/v1/chat/completions', {
        messages: ask('x'),
        tools: [weather],
        tool_choice: 'required',
      })
    ).json();
    expect(required.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: '' } });
  });

  it('without the launch flags: vLLM’s 400s for auto, required and named; none is plain text', async () => {
    const auto = await plain.post('/v1/chat/completions', { messages: ask('x'), tools: [weather] });
    expect(auto.status).toBe(400);
    expect((await auto.json()).error).toEqual({
      message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    const required = await plain.post('/v1/chat/completions', {
      messages: ask('x'),
      tools: [weather],
      tool_choice: 'required',
    });
    expect((await required.json()).error.message).toBe(
      'tool_choice="required" requires --tool-call-parser to be set',
    );
    const named = await plain.post('/v1/chat/completions', {
      messages: ask('x'),
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect((await named.json()).error.message).toBe(
      'tool_choice=function "get_weather" requires --tool-call-parser to be set',
    );
    const none = await plain.post('/v1/chat/completions', {
      messages: ask('x'),
      tools: [weather],
      tool_choice: 'none',
    });
    expect((await none.json()).choices[0].message.tool_calls).toEqual([]);
  });

  it('a parser without --enable-auto-tool-choice: auto is accepted but never parsed into a call', async () => {
    const body = await (
      await parserOnly.post('/v1/chat/completions', { messages: ask('x'), tools: [weather] })
    ).json();
    expect(body.choices[0]).toMatchObject({ finish_reason: 'stop', message: { tool_calls: [] } });
  });

  it('rejects malformed tool_choice the way the request validators do', async () => {
    const cases: [unknown, unknown, RegExp][] = [
      [undefined, 'auto', /When using `tool_choice`, `tools` must be set\./],
      [[weather], 'sometimes', /Invalid value for `tool_choice`: sometimes!/],
      [
        [weather],
        { type: 'function', function: { name: 'nope' } },
        /does not match any of the specified `tools`/,
      ],
      [[weather], { type: 'function', function: {} }, /Expected field `name` in `function`/],
    ];
    for (const [toolsArg, choice, message] of cases) {
      const res = await tools.post('/v1/chat/completions', {
        messages: ask('x'),
        tools: toolsArg,
        tool_choice: choice,
      });
      expect(res.status).toBe(400);
      const err = (await res.json()).error;
      expect(err.message).toMatch(message);
      expect(err.code).toBe(400);
    }
  });
});

describe('structured output', () => {
  const Person = z.object({
    name: z.string(),
    age: z.number().int().nonnegative(),
    email: z.email(),
    role: z.enum(['admin', 'user']),
    address: z.object({ city: z.string(), zip: z.string().min(5) }),
    tags: z.array(z.string()).min(2),
  });

  it('json_schema: content parses and satisfies the schema, streamed or not', async () => {
    const response_format = {
      type: 'json_schema',
      json_schema: { name: 'person', schema: z.toJSONSchema(Person), strict: true },
    };
    const body = await (
      await plain.post('/v1/chat/completions', { messages: ask('who?'), response_format })
    ).json();
    expect(Person.safeParse(JSON.parse(body.choices[0].message.content)).success).toBe(true);
    const { chunks } = await sseChunks(
      await plain.post('/v1/chat/completions', { messages: ask('who?'), response_format, stream: true }),
    );
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(3);
    expect(Person.parse(JSON.parse(text))).toEqual(Person.parse(JSON.parse(body.choices[0].message.content)));
  });

  it('json_object: a JSON object; completions honour response_format too', async () => {
    const chat = await (
      await plain.post('/v1/chat/completions', {
        messages: ask('hi'),
        response_format: { type: 'json_object' },
      })
    ).json();
    expect(JSON.parse(chat.choices[0].message.content)).toEqual({ reply: expect.stringContaining('hi') });
    const completion = await (
      await plain.post('/v1/completions', {
        prompt: 'Give JSON',
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'n',
            schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
          },
        },
      })
    ).json();
    expect(JSON.parse(completion.choices[0].text)).toEqual({ n: 0 });
  });
});

describe('reasoning', () => {
  let thinker: FakeVllm;
  let noParser: FakeVllm;
  beforeAll(async () => {
    [thinker, noParser] = await Promise.all([
      startFakeVllm('Qwen/Qwen3-8B', ['--reasoning-parser', 'qwen3']),
      startFakeVllm('Qwen/QwQ-32B'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([thinker?.close(), noParser?.close()]);
  });

  it('with --reasoning-parser the thinking is in `reasoning` (not reasoning_content), streamed before the answer', async () => {
    const body = await (await thinker.post('/v1/chat/completions', { messages: ask('hi') })).json();
    const message = body.choices[0].message;
    expect(message.reasoning).toMatch(/The user wrote "hi"/);
    expect(message).not.toHaveProperty('reasoning_content');
    expect(message.content).not.toContain('<think>');
    const { chunks } = await sseChunks(
      await thinker.post('/v1/chat/completions', { messages: ask('hi'), stream: true }),
    );
    const kinds = chunks.slice(1).map((c) => Object.keys(c.choices[0].delta)[0]);
    const firstContent = kinds.indexOf('content');
    expect(kinds.slice(0, firstContent).every((k) => k === 'reasoning')).toBe(true);
    expect(firstContent).toBeGreaterThan(0);
    expect(kinds.slice(firstContent).every((k) => k === 'content')).toBe(true);
  });

  it('include_reasoning false hides it; enable_thinking false skips it; no parser keeps <think> inline', async () => {
    const hidden = await (
      await thinker.post('/v1/chat/completions', { messages: ask('hi'), include_reasoning: false })
    ).json();
    expect(hidden.choices[0].message.reasoning).toBeNull();
    const off = await (
      await thinker.post('/v1/chat/completions', {
        messages: ask('hi'),
        chat_template_kwargs: { enable_thinking: false },
      })
    ).json();
    expect(off.usage.completion_tokens).toBeLessThan(hidden.usage.completion_tokens);
    const inline = await (await noParser.post('/v1/chat/completions', { messages: ask('hi') })).json();
    expect(inline.choices[0].message.content).toMatch(/^<think>\n.*\n<\/think>\n\nHello!/s);
    expect(inline.choices[0].message.reasoning).toBeNull();
  });
});
