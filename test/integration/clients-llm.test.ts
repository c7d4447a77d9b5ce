// Real LLM client libraries against the gateway, which relays to the simulator's fake vLLM (launched
// with the catalog's --enable-auto-tool-choice --tool-call-parser=hermes): the official `openai`
// package, LangChain's ChatOpenAI and the Vercel AI SDK with the OpenAI-compatible provider.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { tool as lcTool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, stepCountIs, tool } from 'ai';
import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

const kindOf = (m: unknown) => (m as { spark_control?: { kind?: string } }).spark_control?.kind;

const Weather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) });
const Person = z.object({
  name: z.string(),
  age: z.number().int().nonnegative(),
  hobbies: z.array(z.string()).min(1),
  address: z.object({ city: z.string(), country: z.string() }),
});
const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather', parameters: z.toJSONSchema(Weather) },
};

let c: TestCluster;
let model: string;
let baseURL: string;
beforeAll(async () => {
  c = await startTestCluster({ speed: 0.05 });
  baseURL = `${c.url}/v1`;
  const client = new OpenAI({ baseURL, apiKey: 'x', maxRetries: 0 });
  model = await waitFor(async () => (await client.models.list()).data.find((m) => kindOf(m) === 'llm')?.id);
});
afterAll(async () => c?.close());

describe('openai package', () => {
  const client = () => new OpenAI({ baseURL, apiKey: 'x', maxRetries: 0 });

  it('tool calls, non-streaming and streaming', async () => {
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
    });
    const call = res.choices[0]!.message.tool_calls?.[0];
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    if (call?.type !== 'function') throw new Error('no function call');
    expect(Weather.parse(JSON.parse(call.function.arguments))).toMatchObject({ unit: 'celsius' });

    const stream = await client().chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta.tool_calls?.[0];
      name += d?.function?.name ?? '';
      args += d?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect([name, finish]).toEqual(['get_weather', 'tool_calls']);
    expect(Weather.safeParse(JSON.parse(args)).success).toBe(true);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('structured output via response_format json_schema', async () => {
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Invent a person' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'person', schema: z.toJSONSchema(Person), strict: true },
      },
    });
    expect(Person.safeParse(JSON.parse(res.choices[0]!.message.content ?? '')).success).toBe(true);
  });

  it('n choices and logprobs', async () => {
    const res = await client().chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      n: 2,
      logprobs: true,
      top_logprobs: 2,
    });
    expect(res.choices.map((ch) => ch.index)).toEqual([0, 1]);
    const content = res.choices[1]!.logprobs?.content ?? [];
    expect(content.map((e) => e.token).join('')).toBe(res.choices[1]!.message.content);
    expect(content[0]?.top_logprobs).toHaveLength(2);
  });

  it('streams with usage, the finish reason on the last content chunk', async () => {
    const stream = await client().chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-2)!.choices[0]!;
    expect(last.finish_reason).toBe('stop');
    expect(last.delta.content).toBeTruthy();
    expect(chunks.at(-1)!.usage?.total_tokens).toBeGreaterThan(0);
    const text = chunks.map((ch) => ch.choices[0]?.delta.content ?? '').join('');
    expect(text).toContain('hello');
  });

  it('stream_options without stream is vLLM’s 400', async () => {
    const err = await client()
      .chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'x' }],
        stream_options: { include_usage: true },
      })
      .then(
        () => null,
        (e: unknown) => e as APIError,
      );
    expect(err?.status).toBe(400);
    expect(err?.message).toContain('Stream options can only be defined when `stream=True`.');
  });
});

describe('LangChain ChatOpenAI', () => {
  const llm = () => new ChatOpenAI({ model, apiKey: 'x', maxRetries: 0, configuration: { baseURL } });

  it('bindTools: the model asks for the tool with arguments matching its schema', async () => {
    const getWeather = lcTool(async ({ city }) => `12 degrees in ${city}`, {
      name: 'get_weather',
      description: 'Current weather',
      schema: Weather,
    });
    const msg = await llm().bindTools([getWeather]).invoke('Weather in Oslo?');
    expect(msg.tool_calls).toHaveLength(1);
    expect(msg.tool_calls?.[0]?.name).toBe('get_weather');
    expect(Weather.safeParse(msg.tool_calls?.[0]?.args).success).toBe(true);
  });

  it('withStructuredOutput(zod) returns a parsed object', async () => {
    const person = await llm().withStructuredOutput(Person).invoke('Invent a person');
    expect(Person.safeParse(person).success).toBe(true);
  });
});

describe('Vercel AI SDK (openai-compatible)', () => {
  const provider = () =>
    createOpenAICompatible({ name: 'spark', baseURL, apiKey: 'x', supportsStructuredOutputs: true });

  it('generateText with tools: calls the tool, then answers from its result', async () => {
    const seen: unknown[] = [];
    const result = await generateText({
      model: provider()(model),
      prompt: 'Weather in Oslo?',
      tools: {
        get_weather: tool({
          description: 'Current weather',
          inputSchema: Weather,
          execute: async (input) => {
            seen.push(input);
            return { degrees: 12 };
          },
        }),
      },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(seen).toHaveLength(1);
    expect(Weather.safeParse(seen[0]).success).toBe(true);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    expect(result.finishReason).toBe('stop');
    expect(result.text).toContain('simulated DGX Spark');
  });

  it('generateObject with a zod schema', async () => {
    const { object } = await generateObject({
      model: provider()(model),
      schema: Person,
      prompt: 'Invent a person',
      maxRetries: 0,
    });
    expect(Person.safeParse(object).success).toBe(true);
  });
});
