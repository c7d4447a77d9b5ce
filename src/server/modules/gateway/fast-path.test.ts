// The fast path (fast-path.ts) keeps every behaviour of the Fastify route it stands in front of:
// each case asserts what the client gets, and whether the fast path or Fastify answered it.
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/events/bus.js';
import { installErrorHandling } from '../../platform/http/error-handler.js';
import { hostAllowList, installRequestGuard } from '../../platform/http/request-guard.js';
import { relayedRequest } from './fast-path.js';
import { gatewayRoutes } from './routes.js';
import type { GatewayStatsResponse } from './stats.js';
import { SwapOnRequest } from './swap-on-request.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let upstream: Server;
let handler: Handler;
let upstreamClosed: Promise<void>;
let upstreamBody = '';
let app: FastifyInstance;
let url: string;
let served = 0;
let vllm: () => string | null;
const logLines: Record<string, unknown>[] = [];
const KEY = 'sk-fast-path-test';
const guard = { allowed_hosts: [], trusted_origins: [], machineName: 'spark1' };

const sse = (res: ServerResponse, events: string[]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`data: ${e}\n\n`);
  res.end('data: [DONE]\n\n');
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    upstreamClosed = once(req, 'close').then(() => undefined);
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.once('end', () => {
      upstreamBody = Buffer.concat(parts).toString();
      handler(req, res);
    });
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const port = (upstream.address() as AddressInfo).port;
  vllm = () => `http://127.0.0.1:${port}/v1`;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  app = Fastify({ logger: { level: 'info', stream } });
  installErrorHandling(app);
  installRequestGuard(app, guard);
  const hosts = hostAllowList(guard);
  await app.register(gatewayRoutes, {
    apiKeys: [{ name: 'alice', key: KEY }],
    maxBodyMb: 0.01,
    vllmBaseUrl: () => vllm(),
    fastPath: { allowsHost: (h) => hosts.allows(h), onServed: () => (served += 1) },
    swapOnRequest: new SwapOnRequest({
      keyFor: (m) => (m === 'org/b' ? 'b' : null),
      loadedModel: () => 'org/a',
      running: () => null,
      start: () => Promise.resolve({ id: 's1' }),
      probe: async () => ({
        ...{ ok: true, state: 'loaded', base_url: null, model: 'org/b' },
        ...{ models: ['org/b'], note: null, error: null },
      }),
      bus: new EventBus(),
      timeoutMs: 5000,
    }),
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
beforeEach(() => {
  served = 0;
  handler = (_req, res) => sse(res, ['{"n":1}', '{"n":2}']);
});
afterAll(async () => {
  await app.close();
  upstream.closeAllConnections();
  upstream.close();
});

const post = (body: string, headers: Record<string, string> = {}, path = '/v1/chat/completions') =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body,
  });
const stats = async () =>
  ((await (await fetch(`${url}/api/gateway/stats`)).json()) as GatewayStatsResponse).clients;
const of = async (name: string) => (await stats()).find((c) => c.name === name)!;
const envelope = (status: number, code: string, message: string | RegExp) => ({
  error: {
    message: typeof message === 'string' ? message : expect.stringMatching(message),
    type: status >= 500 ? 'server_error' : status === 401 ? 'authentication_error' : 'invalid_request_error',
    param: null,
    code,
  },
});

describe('gateway fast path', () => {
  it('relays a stream itself, counted under the key, with request-id log lines', async () => {
    const before = (await of('alice')).requests;
    const res = await post('{"model":"org/a","stream":true}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
    expect(served).toBe(1);
    expect((await of('alice')).requests).toBe(before + 1);
    const posts = logLines.filter(
      (l) => l.msg === 'incoming request' && (l.req as { method?: string }).method === 'POST',
    );
    const incoming = posts.at(-1)!;
    expect(incoming).toMatchObject({ req: { url: '/v1/chat/completions' }, reqId: expect.any(String) });
    // Fastify's own sequence: no other request has this id.
    expect(logLines.filter((l) => l.msg === 'incoming request' && l.reqId === incoming.reqId)).toHaveLength(
      1,
    );
    const done = logLines.find((l) => l.msg === 'request completed' && l.reqId === incoming.reqId);
    expect(done).toMatchObject({ res: { statusCode: 200 }, responseTime: expect.any(Number) });
  });

  it('serves /v1/completions and a non-streaming answer the same way', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}');
    const res = await post('{"model":"org/a","prompt":"x"}', {}, '/v1/completions');
    expect(await res.json()).toEqual({ ok: 1 });
    expect(served).toBe(1);
  });

  it('leaves a missing or wrong key to Fastify: 401 envelope, counted as an error', async () => {
    const before = (await of('anonymous')).errors;
    for (const authorization of ['', 'Bearer nope']) {
      const res = await post('{"stream":true}', { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual(envelope(401, 'UNAUTHORIZED', /API key/));
    }
    expect(served).toBe(0);
    expect((await of('anonymous')).errors).toBe(before + 2);
  });

  it('hands bad JSON and a body it does not read back to Fastify, bytes intact', async () => {
    const bad = await post('{"model": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(envelope(400, 'BAD_REQUEST', 'The request body is not valid JSON.'));
    handler = (_req, res) => sse(res, []);
    const odd = '{"model": 5, "stream": true, "x": "é"}';
    const res = await post(odd);
    expect(await res.text()).toBe('data: [DONE]\n\n');
    expect(upstreamBody).toBe(odd);
    expect(served).toBe(0);
  });

  it('leaves an oversize body to Fastify: 413 with the configured limit', async () => {
    const res = await post(JSON.stringify({ prompt: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(envelope(413, 'PAYLOAD_TOO_LARGE', /0\.01 MB/));
    expect(served).toBe(0);
  });

  it('leaves a Host outside the allow-list to the request guard (403)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const r = request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          host: 'rebind.example',
          'content-type': 'application/json',
          authorization: `Bearer ${KEY}`,
        },
      });
      r.on('response', (res) => resolve(res.resume().statusCode ?? 0)).on('error', reject);
      r.end('{"stream":true}');
    });
    expect(status).toBe(403);
    expect(served).toBe(0);
  });

  it('leaves a body still arriving to Fastify (its body clock times it), then relays it', async () => {
    const body = '{"model":"org/a","stream":true}';
    const text = await new Promise<string>((resolve, reject) => {
      const r = request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${KEY}`,
        },
      });
      r.on('response', (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString())).on('end', () => resolve(t));
      });
      r.on('error', reject);
      r.flushHeaders();
      setTimeout(() => r.write(body.slice(0, 10)), 30);
      setTimeout(() => r.end(body.slice(10)), 80);
    });
    expect(text).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
    expect(upstreamBody).toBe(body);
    expect(served).toBe(0);
  });

  it('leaves a model that needs a swap to the Fastify route, which holds the stream', async () => {
    const res = await post('{"model":"org/b","stream":true}');
    const text = await res.text();
    expect(text.startsWith(': spark-control: loading org/b')).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(served).toBe(0);
  });

  it('aborts the upstream request when the client leaves, counted as aborted', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n'); // then nothing: only the client's leaving ends it
    };
    const before = (await of('alice')).aborted;
    const res = await post('{"stream":true}');
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await upstreamClosed;
    expect(served).toBe(1);
    await expect.poll(async () => (await of('alice')).aborted).toBe(before + 1);
  });

  it("keeps the upstream's error status and envelope, and a 502 when vLLM is unreachable", async () => {
    handler = (_req, res) =>
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"message":"no such model","type":"NotFoundError","param":"model","code":404}}');
    const res = await post('{"model":"nope","stream":true}');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { message: 'no such model', param: 'model' } });
    expect(served).toBe(1);

    const working = vllm;
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const gone = (closed.address() as AddressInfo).port;
    closed.close();
    vllm = () => `http://127.0.0.1:${gone}/v1`;
    try {
      const down = await post('{"stream":true}');
      expect(down.status).toBe(502);
      expect(await down.json()).toEqual(envelope(502, 'UPSTREAM_ERROR', 'vllm unreachable'));
      expect(served).toBe(2);
      vllm = () => null; // not configured: the Fastify route says so
      const none = await post('{"stream":true}');
      expect(none.status).toBe(502);
      expect(await none.json()).toEqual(envelope(502, 'UPSTREAM_ERROR', /no vLLM node is configured/));
      expect(served).toBe(2);
    } finally {
      vllm = working;
    }
  });
});

describe('relayedRequest', () => {
  it('reads model and stream, refusing what the route schema refuses', () => {
    expect(relayedRequest(Buffer.from('{"model":"m","stream":true}'))).toEqual({ model: 'm', stream: true });
    expect(relayedRequest(Buffer.from('{"stream":null}'))).toEqual({ model: null, stream: false });
    for (const bad of ['[]', 'null', '"x"', '{"model":1}', '{"stream":"yes"}', '{'])
      expect(relayedRequest(Buffer.from(bad))).toBeNull();
  });
});
