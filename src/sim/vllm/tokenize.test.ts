import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { VllmEngine } from './engine.js';
import { decode, encode, parseJsonBody, renderChat, utility } from './tokenize.js';

/** Just what the utility routes read of the engine. */
const engine = {
  servesName: (n: string) => n === 'org/model',
  settings: { maxModelLen: 4096 },
} as unknown as VllmEngine;

describe('the fake tokenizer', () => {
  it('round-trips any text, with or without the BOS token', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), (text, special) => {
        const ids = encode(text, special);
        expect(ids[0] === 1).toBe(special);
        expect(decode(ids)).toBe(text);
      }),
    );
  });

  it('renders a chat with the generation prompt', () => {
    expect(renderChat([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], true)).toBe(
      '<|user|>hi\n<|assistant|>',
    );
  });
});

describe('utility routes', () => {
  it("answers /tokenize in vLLM's shape and /detokenize back", () => {
    const t = utility(engine, '/tokenize', { model: 'org/model', prompt: 'ab' });
    expect(t).toEqual({
      status: 200,
      body: { count: 3, max_model_len: 4096, tokens: [1, 100, 101], token_strs: null },
    });
    expect(utility(engine, '/detokenize', { tokens: [1, 100, 101] })).toEqual({
      status: 200,
      body: { prompt: 'ab' },
    });
  });

  it('refuses what vLLM refuses: unknown model (404), missing fields, pooling APIs on a generate model', () => {
    const err = (path: string, body: unknown) => {
      const r = utility(engine, path, body);
      return r === 'streamed' ? null : r;
    };
    expect(err('/tokenize', { model: 'x', prompt: 'a' })).toMatchObject({
      status: 404,
      body: { error: { type: 'NotFoundError', param: 'model' } },
    });
    expect(err('/tokenize', {})?.status).toBe(400);
    expect(err('/detokenize', { tokens: [1.5] })?.status).toBe(400);
    expect(err('/v2/rerank', { query: 'q', documents: [] })).toMatchObject({
      status: 400,
      body: { error: { message: 'The model does not support Rerank (Score) API', code: 400 } },
    });
    expect(err('/score', {})).toMatchObject({ status: 400 });
    expect(parseJsonBody('{"a": ')).toMatchObject({ status: 400 });
  });
});
