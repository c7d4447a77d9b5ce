import { describe, expect, it } from 'vitest';
import {
  BODY_INTERRUPTED,
  clientFacingError,
  clientStatus,
  STREAM_INTERRUPTED,
  sseErrorEvent,
  typeForStatus,
  upstreamError,
} from './openai-error.js';

describe('upstreamError', () => {
  it("keeps vLLM's message and param, with OpenAI's type and a string-or-null code", () => {
    const body = JSON.stringify({
      error: { message: 'The model `x` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    });
    expect(upstreamError(404, body)).toEqual({
      message: 'The model `x` does not exist.',
      type: 'not_found_error',
      param: 'model',
      code: 'model_not_found',
    });
    const noParam = JSON.stringify({
      error: { message: 'm', type: 'NotFoundError', param: null, code: 404 },
    });
    expect(upstreamError(404, noParam)).toMatchObject({ type: 'not_found_error', param: null, code: null });
  });

  it('keeps an upstream that already speaks OpenAI (snake_case type, string code)', () => {
    const body = JSON.stringify({
      error: {
        message: 'too long',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
    expect(upstreamError(400, body)).toEqual({
      message: 'too long',
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
  });

  it("reads older vLLM's flat error, FastAPI's detail and the --api-key guard", () => {
    expect(
      upstreamError(
        400,
        JSON.stringify({ object: 'error', message: 'bad', type: 'BadRequestError', code: 400 }),
      ),
    ).toEqual({ message: 'bad', type: 'invalid_request_error', param: null, code: null });
    expect(upstreamError(405, '{"detail":"Method Not Allowed"}')).toEqual({
      message: 'Method Not Allowed',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(upstreamError(401, '{"error":"Unauthorized"}')).toMatchObject({
      message: 'Unauthorized',
      type: 'authentication_error',
    });
  });

  it('falls back to a generic message for bodies that are not JSON errors', () => {
    for (const text of ['', '<html>Bad Gateway</html>', '[1]', '{"error":{"code":1}}', 'null']) {
      expect(upstreamError(500, text)).toEqual({
        message: 'vLLM answered HTTP 500',
        type: 'server_error',
        param: null,
        code: null,
      });
    }
  });

  it('cuts a huge message', () => {
    const e = upstreamError(400, JSON.stringify({ error: { message: 'x'.repeat(10_000) } }));
    expect(e.message.length).toBeLessThanOrEqual(2001);
    expect(e.type).toBe('invalid_request_error');
  });
});

describe('clientStatus', () => {
  it("answers FastAPI's 422 as OpenAI's 400 and keeps every other status", () => {
    expect([400, 401, 404, 413, 422, 429, 500, 503].map(clientStatus)).toEqual([
      400, 401, 404, 413, 400, 429, 500, 503,
    ]);
  });
});

describe('typeForStatus', () => {
  it('maps statuses to OpenAI error types', () => {
    expect([400, 401, 403, 404, 413, 429, 500, 503].map(typeForStatus)).toEqual([
      'invalid_request_error',
      'authentication_error',
      'permission_error',
      'not_found_error',
      'invalid_request_error',
      'rate_limit_error',
      'server_error',
      'server_error',
    ]);
  });
});

describe('sseErrorEvent', () => {
  it("is vLLM's in-stream error: one data line holding the envelope, then [DONE]", () => {
    const ev = sseErrorEvent({
      message: 'line one\nline two',
      type: 'server_error',
      param: null,
      code: null,
    });
    expect(ev).toBe(
      'data: {"error":{"message":"line one\\nline two","type":"server_error","param":null,"code":null}}\n\n' +
        'data: [DONE]\n\n',
    );
    expect(ev.split('\n')).toHaveLength(5);
  });

  it('says what happened when vLLM breaks off a stream', () => {
    expect(JSON.parse(sseErrorEvent(STREAM_INTERRUPTED).split('\n')[0]!.slice('data: '.length))).toEqual({
      error: STREAM_INTERRUPTED,
    });
    expect(STREAM_INTERRUPTED.code).toBe('stream_interrupted');
    expect(BODY_INTERRUPTED('embeddings')).toMatchObject({
      message: expect.stringMatching(/^embeddings closed the connection before its response was complete/),
      type: 'server_error',
    });
  });
});

describe('clientFacingError', () => {
  it("keeps a 4xx's own words, naming a service other than vLLM", () => {
    const ctx = JSON.stringify({
      error: {
        message: "This model's maximum context length is 4096 tokens",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    });
    expect(clientFacingError(400, ctx, 'vllm', 'r1').message).toBe(
      "This model's maximum context length is 4096 tokens",
    );
    expect(clientFacingError(400, '{"detail":"bad audio"}', 'parakeet', 'r1').message).toBe(
      'parakeet: bad audio',
    );
    // A body that says nothing: the generic message names the service once.
    expect(clientFacingError(415, '<html></html>', 'parakeet', 'r1')).toEqual({
      message: 'parakeet answered HTTP 415',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  });

  it("turns FastAPI's validation list into one readable 400 message naming the field", () => {
    const detail = [
      { type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null },
      { type: 'x', loc: ['query', 0], msg: 'bad' },
      { nothing: true },
    ];
    expect(clientFacingError(422, JSON.stringify({ detail }), 'vllm', 'r')).toEqual({
      message: 'body.file: Field required; query.0: bad',
      type: 'invalid_request_error',
      param: 'file',
      code: null,
    });
    // A location that is only the body names no field; odd entries are skipped, not fatal.
    const odd = [{ loc: ['body'], msg: 'Expected an object' }, { loc: 'x', msg: 7 }, 'text'];
    expect(clientFacingError(422, JSON.stringify({ detail: odd }), 'parakeet', 'r')).toEqual({
      message: 'parakeet: body: Expected an object',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    // An empty list says nothing: the generic message naming the status.
    expect(clientFacingError(422, '{"detail":[]}', 'vllm', 'r').message).toBe('vLLM answered HTTP 422');
  });

  it("replaces a 5xx's text with the service, the status and the reference", () => {
    const internals = JSON.stringify({
      error: {
        message: 'EngineCore encountered an issue. See stack trace',
        type: 'InternalServerError',
        param: null,
        code: 500,
      },
    });
    const e = clientFacingError(503, internals, 'vllm', 'abcd1234');
    expect(e).toEqual({
      message: "vllm failed with HTTP 503 (reference abcd1234; the details are in Spark Control's log)",
      type: 'server_error',
      param: null,
      code: null,
    });
  });
});
