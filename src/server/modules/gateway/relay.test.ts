// The relay against a scripted upstream on 127.0.0.1: bytes both ways, headers, errors, shutdown.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VllmStatus } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { installErrorHandling } from '../../platform/http/error-handler.js';
import { gatewayRoutes } from './routes.js';
import { SwapOnRequest } from './swap-on-request.js';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => unknown;

let upstream: Server;
let handler: Handler = (_req, _body, res) => res.writeHead(500).end();
let app: FastifyInstance;
let url: string;

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function startApp(maxBodyMb = 16): Promise<void> {
  const port = (upstream.address() as AddressInfo).port;
  app = Fastify({ logger: false });
  installErrorHandling(app);
  await app.register(gatewayRoutes, {
    apiKeys: [],
    maxBodyMb,
    vllmBaseUrl: () => `http://127.0.0.1:${port}/v1`,
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}

beforeAll(async () => {
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await handler(req, Buffer.concat(chunks), res);
  };
  // node:http ignores a handler's promise: a throwing test upstream must cut the connection
  // (the relay under test then sees a broken upstream) rather than become an unhandled rejection.
  upstream = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  await startApp();
});
afterEach(() => {
  handler = (_req, _body, res) => res.writeHead(500).end();
});
afterAll(async () => {
  await app.close();
  upstream.closeAllConnections();
  upstream.close();
});

const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('relay', () => {
  it('sends the body byte for byte and never forwards the client Authorization', async () => {
    let seen: { path?: string; body?: Buffer; headers?: IncomingMessage['headers'] } = {};
    handler = (req, body, res) => {
      seen = { path: req.url, body, headers: req.headers };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok" :  true}');
    };
    const sent = Buffer.from('{ "model":"m",\n  "messages": [], "note": "\\u00e9 é 😀" , "stream":false}');
    const res = await post(new Uint8Array(sent), { authorization: 'Bearer client-key' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"ok" :  true}');
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.body?.equals(sent)).toBe(true);
    expect(seen.headers?.['content-type']).toBe('application/json');
    expect(seen.headers?.authorization).toBeUndefined();
  });

  it('streams each upstream chunk as it comes, unchanged', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const parts = ['data: {"a":1}\n\n', 'data: {"b":"ü"}\n\n', 'data: [DONE]\n\n'];
    handler = async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write(parts[0]);
      await released;
      res.end(parts.slice(1).join(''));
    };
    const res = await post('{"stream":true}');
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(parts[0]);
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe(parts.slice(1).join(''));
  });

  it("keeps a non-streaming upstream error's status, in the OpenAI envelope; a 5xx body stays in the log", async () => {
    handler = (_req, _body, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>busy</h1>');
    const res = await post('{"model":"m"}');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const { error } = (await res.json()) as { error: { message: string; type: string; code: null } };
    expect(error).toMatchObject({ type: 'server_error', code: null });
    expect(error.message).toMatch(/^vllm failed with HTTP 503 \(reference [0-9a-f]{8};/);
    expect(error.message).not.toContain('busy');

    handler = (_req, _body, res) =>
      res.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"prompt too long"}');
    const bad = await post('{"model":"m"}');
    // FastAPI's 422 is OpenAI's (and vLLM's) 400.
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { message: 'prompt too long', type: 'invalid_request_error', param: null, code: null },
    });
  });

  it('answers a streaming request whose upstream fails first with that status and the envelope, not SSE', async () => {
    handler = (_req, _body, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
    const res = await post('{"stream":true}');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toMatch(
      /^\{"error":\{"message":"vllm failed with HTTP 500 \(reference [0-9a-f]{8}; the details are in Spark Control's log\)","type":"server_error","param":null,"code":null\}\}$/,
    );
    // A 2xx other than 200 is no stream either: a 502 saying what came back.
    handler = (_req, _body, res) => res.writeHead(204).end();
    const odd = await post('{"stream":true}');
    expect(odd.status).toBe(502);
    expect(((await odd.json()) as { error: { type: string } }).error.type).toBe('server_error');
  });

  it('answers 502 when a non-streaming body breaks off, instead of a cut-off 200', async () => {
    handler = async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      await tick();
      res.destroy();
    };
    const res = await post('{"model":"m"}');
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: {
        message: 'vllm closed the connection before its response was complete; nothing was returned',
        type: 'server_error',
        param: null,
        code: 'upstream_interrupted',
      },
    });
  });

  it('holds a whole non-streaming answer and sends it with its length', async () => {
    const body = JSON.stringify({ text: 'ü'.repeat(50_000) });
    handler = async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < body.length; i += 7000) {
        res.write(body.slice(i, i + 7000));
        await tick(1);
      }
      res.end();
    };
    const res = await post('{"model":"m"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await res.text()).toBe(body);
  });

  it('refuses JSON that is not an object, and other content types', async () => {
    expect((await post('[1,2]')).status).toBe(400);
    const res = await fetch(`${url}/v1/completions`, { method: 'POST', body: 'prompt=hi' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Content-Type/);
  });

  it('ends in-flight streams promptly when the server shuts down', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":1}\n\n');
    };
    const res = await post('{"stream":true}');
    const reader = res.body!.getReader();
    await reader.read();
    // Without ending the relay this would wait on the 30-minute upstream timeout (the test's own
    // timeout catches that): no wall-clock margin needed.
    await app.close();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toMatch(
      /^data: \{"error":\{"message":"vllm stream interrupted.*\}\}\n\ndata: \[DONE\]\n\n$/,
    );
    await startApp(0.001);
  });

  it('answers 413 with the configured limit', async () => {
    const res = await post(JSON.stringify({ prompt: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        message: "The request body is larger than the gateway's limit of 0.001 MB (gateway.max_body_mb).",
        type: 'invalid_request_error',
        param: null,
        code: 'PAYLOAD_TOO_LARGE',
      },
    });
  });
});

describe('a stream held for a swap on request', () => {
  let held: FastifyInstance;
  let heldUrl: string;
  let vllmState: VllmStatus['state'] = 'loaded';
  beforeAll(async () => {
    const port = (upstream.address() as AddressInfo).port;
    held = Fastify({ logger: false });
    installErrorHandling(held);
    await held.register(gatewayRoutes, {
      apiKeys: [],
      maxBodyMb: 1,
      vllmBaseUrl: () => `http://127.0.0.1:${port}/v1`,
      swapOnRequest: new SwapOnRequest({
        keyFor: (m) => (m === 'org/b' ? 'b' : null),
        loadedModel: () => 'org/a',
        running: () => null,
        start: async () => ({ id: 's1' }),
        // Already loaded by the time it is asked: the held request goes straight on.
        probe: async () => ({
          ok: vllmState === 'loaded',
          state: vllmState,
          base_url: null,
          model: 'org/b',
          models: ['org/b'],
          note: null,
          error: vllmState === 'loaded' ? null : 'no answer',
        }),
        bus: new EventBus(),
        timeoutMs: 5000,
      }),
    });
    heldUrl = await held.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => held.close());

  const streamB = () =>
    fetch(`${heldUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"org/b","stream":true}',
    });

  it('keeps the in-stream form once its loading notice went out (upstream 4xx, failed swap)', async () => {
    handler = (_req, _body, res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":{"message":"bad n","type":"BadRequestError","param":"n","code":400}}');
    const res = await streamB();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith(': ')).toBe(true);
    expect(text).toContain(
      'data: {"error":{"message":"bad n","type":"invalid_request_error","param":"n","code":null}}\n\ndata: [DONE]\n\n',
    );
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);

    vllmState = 'unknown';
    const failed = await (await streamB()).text();
    expect(failed).toMatch(
      /\ndata: \{"error":\{"message":"Not swapping to org\/b: .*","type":"server_error","param":null,"code":"SERVICE_UNAVAILABLE"\}\}\n\ndata: \[DONE\]\n\n$/,
    );
  });
});
