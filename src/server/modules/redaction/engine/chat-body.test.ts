import { describe, expect, it } from 'vitest';
import { rehydrateChatCompletion, scrubChatRequest } from './sse-rehydrate.js';
import { TaskMap } from './task-map.js';
import type { Detector } from './types.js';

const regexDetector = (type: string, re: RegExp): Detector => ({
  type,
  priority: 1,
  detect: (text) => [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
});
const detectors = [
  regexDetector('EMAIL', /[a-z.]+@[a-z]+\.[a-z]+/g),
  regexDetector('PERSON', /Ann Lee|Bo "B" Li/g),
];

const request = {
  model: 'm',
  stream: true,
  temperature: 0.2,
  messages: [
    { role: 'system', content: 'You help Ann Lee.' },
    {
      role: 'user',
      name: 'ann',
      content: [
        { type: 'text', text: 'Mail ann@example.com and Bo "B" Li.' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      reasoning_content: 'Ann Lee asked.',
      tool_calls: [
        {
          id: 'c1',
          type: 'function',
          function: { name: 'send', arguments: '{"to":"ann@example.com","cc":["Bo \\"B\\" Li"]}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'c1', content: 'sent to ann@example.com' },
    {
      role: 'user',
      content: 'not json args either',
      tool_calls: [{ function: { arguments: 'to ann@example.com' } }],
    },
  ],
};

describe('scrubChatRequest', () => {
  it('scrubs every message text, parts, reasoning, tool arguments and tool results; leaves the rest', () => {
    const table = new TaskMap();
    const { body, found } = scrubChatRequest(request, detectors, table);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/ann@example\.com|Ann Lee|Bo \\"B\\" Li/);
    expect(body.messages[0]!.content).toBe('You help [PERSON_1].');
    expect(body.messages[1]!.content).toEqual([
      { type: 'text', text: 'Mail [EMAIL_1] and [PERSON_2].' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ]);
    expect(JSON.parse(body.messages[2]!.tool_calls![0]!.function.arguments)).toEqual({
      to: '[EMAIL_1]',
      cc: ['[PERSON_2]'],
    });
    expect(body.messages[3]!.content).toBe('sent to [EMAIL_1]');
    expect(body.messages[4]!.tool_calls![0]!.function.arguments).toBe('to [EMAIL_1]');
    expect({ ...body, messages: undefined }).toEqual({ ...request, messages: undefined });
    expect(body.messages[1]!.name).toBe('ann');
    expect(found).toEqual([
      { type: 'PERSON', placeholder: '[PERSON_1]', count: 2 },
      { type: 'EMAIL', placeholder: '[EMAIL_1]', count: 4 },
      { type: 'PERSON', placeholder: '[PERSON_2]', count: 2 },
    ]);
    expect(request.messages[0]!.content).toBe('You help Ann Lee.'); // the input is not touched
  });

  it('fails closed: a detector that throws makes the scrub throw', () => {
    const broken: Detector = {
      type: 'X',
      priority: 1,
      detect: () => {
        throw new Error('pattern timed out');
      },
    };
    expect(() => scrubChatRequest(request, [broken], new TaskMap())).toThrow('pattern timed out');
  });

  it('takes bodies without messages as they are', () => {
    expect(scrubChatRequest({ model: 'm' }, detectors, new TaskMap())).toEqual({
      body: { model: 'm' },
      found: [],
    });
  });
});

describe('rehydrateChatCompletion', () => {
  it('restores content, reasoning and tool-call arguments of every choice', () => {
    const table = new TaskMap();
    table.placeholderFor('EMAIL', 'ann@example.com');
    table.placeholderFor('PERSON', 'Bo "B" Li');
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Hi **[Person 1]**, at EMAIL_1. [EMAIL_7]',
            reasoning: 'PERSON_1',
          },
          finish_reason: 'stop',
        },
        {
          index: 1,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'c', type: 'function', function: { name: 's', arguments: '{"to":"[PERSON_1]"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    };
    const out = rehydrateChatCompletion(completion, table);
    expect(out.choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'Hi **Bo "B" Li**, at ann@example.com. [EMAIL_7]',
      reasoning: 'Bo "B" Li',
    });
    expect(JSON.parse(out.choices[1]!.message.tool_calls![0]!.function.arguments)).toEqual({
      to: 'Bo "B" Li',
    });
    expect(out.usage).toEqual(completion.usage);
    expect(completion.choices[0]!.message.content).toContain('[Person 1]');
    const error = { error: { message: 'x', type: 'BadRequestError', param: null, code: 400 } };
    expect(rehydrateChatCompletion(error, table)).toBe(error);
  });
});
