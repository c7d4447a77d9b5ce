import { describe, expect, it } from 'vitest';
import { TaskMap } from '../engine/task-map.js';
import { createChatSseRehydrator, rehydrateChatCompletion } from './sse-local.js';

const table = new TaskMap([{ placeholder: '[EMAIL_1]', type: 'EMAIL', value: 'ana@example.org' }]);
const chunk = (content: string, finish: string | null = null, index = 0) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index, delta: { content }, finish_reason: finish }] })}\n\n`;

/** The content a client assembles from an SSE text. */
const contentOf = (sse: string) =>
  sse
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)) as { choices: { delta?: { content?: string } }[] })
    .map((c) => c.choices.map((ch) => ch.delta?.content ?? '').join(''))
    .join('');

describe('createChatSseRehydrator (local stand-in for engine/sse-rehydrate.ts)', () => {
  const stream =
    chunk('Write to [EM') + chunk('AIL_1') + chunk('] now', null) + chunk('', 'stop') + 'data: [DONE]\n\n';

  it('restores a placeholder split across chunks, at every byte split of the SSE text', () => {
    for (let at = 0; at <= stream.length; at++) {
      const r = createChatSseRehydrator(table);
      const out = r.push(stream.slice(0, at)) + r.push(stream.slice(at)) + r.end();
      expect(contentOf(out), `split at ${at}`).toBe('Write to ana@example.org now');
      expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
    }
  });

  it('flushes held text into the finish chunk, or a synthetic chunk before [DONE]', () => {
    const r = createChatSseRehydrator(table);
    const held = r.push(chunk('see [EMAIL_') + chunk('', 'stop'));
    expect(contentOf(held)).toBe('see [EMAIL_');
    const noFinish = createChatSseRehydrator(table);
    const out = noFinish.push(chunk('see [EMAIL_1') + 'data: [DONE]\n\n') + noFinish.end();
    expect(contentOf(out)).toBe('see [EMAIL_1');
    expect(out.indexOf('[EMAIL_1')).toBeLessThan(out.indexOf('[DONE]'));
  });

  it('passes comments, usage chunks and error events through as they are', () => {
    const lines =
      ': loading\n\ndata: {"error":{"message":"x"}}\n\ndata: {"choices":[],"usage":{"total_tokens":3}}\n\n';
    const r = createChatSseRehydrator(table);
    expect(r.push(lines) + r.end()).toBe(lines);
  });

  it('rehydrates a whole completion’s message and tool-call arguments', () => {
    const json = {
      choices: [
        {
          message: {
            content: 'Hi [EMAIL_1]',
            tool_calls: [{ function: { name: 'send', arguments: '{"to":"[EMAIL_1]"}' } }],
          },
        },
      ],
    };
    expect(rehydrateChatCompletion(json, table)).toEqual({
      choices: [
        {
          message: {
            content: 'Hi ana@example.org',
            tool_calls: [{ function: { name: 'send', arguments: '{"to":"ana@example.org"}' } }],
          },
        },
      ],
    });
  });
});
