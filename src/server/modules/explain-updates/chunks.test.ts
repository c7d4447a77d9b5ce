import { describe, expect, it } from 'vitest';
import { readChunk } from './chunks.js';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, index = 0) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    choices: [{ index, delta, finish_reason: finish }],
  });

describe('readChunk', () => {
  it.each([
    ['reasoning (current vLLM)', { reasoning: 'hmm' }, [{ type: 'reasoning', text: 'hmm' }]],
    ['reasoning_content (older vLLM)', { reasoning_content: 'hmm' }, [{ type: 'reasoning', text: 'hmm' }]],
    ['content', { content: 'Hi' }, [{ type: 'content', text: 'Hi' }]],
    [
      'both in one delta, thinking first',
      { content: 'B', reasoning: 'A' },
      [
        { type: 'reasoning', text: 'A' },
        { type: 'content', text: 'B' },
      ],
    ],
    ['the role chunk (nothing to show)', { role: 'assistant', content: '' }, []],
    ['null fields', { content: null, reasoning: null }, []],
  ])('%s', (_name, delta, events) => {
    expect(readChunk(chunk(delta))).toEqual({ kind: 'events', events, finished: false });
  });

  it('notes the finish reason', () => {
    expect(readChunk(chunk({ content: '.' }, 'stop'))).toEqual({
      kind: 'events',
      events: [{ type: 'content', text: '.' }],
      finished: true,
    });
  });

  it('reads only the first choice', () => {
    expect(readChunk(chunk({ content: 'other' }, null, 1))).toMatchObject({ events: [] });
  });

  it('[DONE] ends the answer', () => {
    expect(readChunk('[DONE]')).toEqual({ kind: 'done' });
  });

  it("vLLM's in-stream error keeps its status; an error without one is a 502", () => {
    const e = JSON.stringify({ error: { message: 'boom', type: 'InternalServerError', code: 500 } });
    expect(readChunk(e)).toEqual({ kind: 'error', status: 500, text: e });
    expect(readChunk('{"error":"bad"}')).toMatchObject({ kind: 'error', status: 502 });
  });

  it.each(['not json', '42', '[1]', '{"choices":"x"}', '{"choices":[null]}', '{"usage":{}}'])(
    'shows nothing for %s',
    (data) => {
      expect(readChunk(data)).toEqual({ kind: 'events', events: [], finished: false });
    },
  );
});
