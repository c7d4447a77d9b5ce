// The splice relay against an upstream that writes exact bytes (a raw TCP server speaking just
// enough HTTP/1.1), behind a real node:http server: what the client receives, how each upstream
// fault ends, and that one upstream connection carries request after request.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAiErrorAnswer } from '../../platform/http/error-handler.js';
import { onFirstWrite } from '../metrics/gateway-metrics.js';
import { NativePump } from './native-relay.js';
import { Upstream, type RelayOutcome } from './proxy.js';
import { SpliceRelay } from './splice-relay.js';

// `npm install` builds the pump (CI requires it): these tests run every case with it and without.
const { pump, why } = NativePump.load();
if (!pump) throw new Error(`the native stream pump is needed by these tests: ${why}`);

const SSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n';
const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
const event = (data: string) => chunk(`data: ${data}\n\n`);

/** What the upstream does with one request on `socket` (the next request may follow on it). */
type Script = (socket: Socket, request: string) => void;
let script: Script;
let upstream: TcpServer;
let upstreamPort = 0;
/** The upstream sockets' remote ports, one per request served. */
let servedOn: number[] = [];
let upstreamClosed: Promise<void>;

let front: Server;
let frontUrl = '';
let outcomes: RelayOutcome[] = [];
let failedCalls = 0;
/** Sees each front response as its relay starts (a test's probe on the client side). */
let onResponse: (res: ServerResponse) => void = () => undefined;
let upstreamRelay: Upstream;
/** The relay under test: each describe block below sets its own. */
let splice: SpliceRelay;
/** A relay with a short idle timeout, for requests to /short. */
let shortSplice: SpliceRelay;

/** A raw server: reads each request (head + Content-Length body) and runs `script` for it. */
function serveRequests(socket: Socket) {
  let buf = Buffer.alloc(0);
  // (Not `once`: it rejects on 'error', and a close with unread bytes is a reset, still a close.)
  upstreamClosed = new Promise((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.toString('latin1', 0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const request = buf.toString('utf8', 0, end + 4 + length);
      buf = buf.subarray(end + 4 + length);
      servedOn.push(socket.remotePort!);
      script(socket, request);
    }
  });
  socket.on('error', () => undefined);
}

beforeAll(async () => {
  upstream = createTcpServer(serveRequests);
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  upstreamPort = (upstream.address() as AddressInfo).port;
  upstreamRelay = new Upstream({ timeoutMs: 5_000 });
  shortSplice = new SpliceRelay(upstreamRelay, { timeoutMs: 300, pump });
  front = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const client = {
        res,
        accept: req.headers.accept,
        gone: () => req.socket.destroyed,
        hijack: () => undefined,
        log: { warn: () => undefined },
      };
      onResponse(res);
      const url = `http://127.0.0.1:${req.url === '/down' ? '1' : upstreamPort}/v1/chat/completions`;
      (req.url === '/short' ? shortSplice : splice)
        .relayTo(client, {
          url,
          body: Buffer.concat(parts),
          streaming: true,
          onFailed: () => void failedCalls++,
        })
        .then(
          (o) => void outcomes.push(o),
          (err: unknown) => {
            // As the fast path answers an error thrown before any byte.
            const a = openAiErrorAnswer(err as Error);
            res.writeHead(a.status, a.headers).end(a.body);
          },
        );
    });
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
beforeEach(() => {
  servedOn = [];
  outcomes = [];
  failedCalls = 0;
  onResponse = () => undefined;
  script = (s) => s.write(`${SSE_HEAD}${event('{"n":1}')}${event('{"n":2}')}${event('[DONE]')}0\r\n\r\n`);
});
afterAll(async () => {
  shortSplice.destroy();
  await upstreamRelay.destroy();
  front.closeAllConnections();
  front.close();
  upstream.close();
});

const post = (path = '/', init: RequestInit = {}) =>
  fetch(`${frontUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: '{"model":"m","stream":true}',
    ...init,
  });

describe.each([
  ['every token in JS', null],
  ['tokens carried by the native pump', pump],
])('SpliceRelay, %s', (_, withPump) => {
  beforeAll(() => {
    splice = new SpliceRelay(upstreamRelay, { timeoutMs: 5_000, pump: withPump });
  });
  afterAll(() => splice.destroy());

  it('passes the events through as they are, ending the response, on one kept-alive connection', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(await res.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(servedOn).toHaveLength(3);
    expect(new Set(servedOn).size).toBe(1);
  });

  it('relays a chunk split across writes, and sends the request body and Accept upstream', async () => {
    let seen = '';
    script = (s, request) => {
      seen = request;
      const body = `${event('{"long":"' + 'x'.repeat(200) + '"}')}0\r\n\r\n`;
      s.write(SSE_HEAD + body.slice(0, 3));
      setTimeout(() => s.write(body.slice(3, 60)), 20);
      setTimeout(() => s.write(body.slice(60)), 40);
    };
    const res = await post();
    expect(await res.text()).toBe(`data: {"long":"${'x'.repeat(200)}"}\n\n`);
    expect(seen).toMatch(/^POST \/v1\/chat\/completions HTTP\/1\.1\r\n/);
    expect(seen).toContain('accept: text/event-stream\r\n');
    expect(seen.endsWith('\r\n\r\n{"model":"m","stream":true}')).toBe(true);
  });

  it("answers an upstream 400 before any byte with its status and the OpenAI envelope (FastAPI's detail converted)", async () => {
    const detail = JSON.stringify({ detail: 'messages: field required' });
    script = (s) =>
      s.write(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${chunk(detail)}0\r\n\r\n`,
      );
    const res = await post();
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string }; detail?: unknown };
    expect(body.error.message).toContain('messages: field required');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.detail).toBeUndefined();
    // The error's connection is reused too: the next stream goes over it.
    script = (s) => s.write(`${SSE_HEAD}${event('ok')}0\r\n\r\n`);
    expect(await (await post()).text()).toBe('data: ok\n\n');
    expect(new Set(servedOn).size).toBe(1);
  });

  it.each([
    ['closes mid-stream', (s: Socket) => s.end(`${SSE_HEAD}${event('{"n":1}')}${event('{"n":2}')}`)],
    ['closes inside a chunk', (s: Socket) => s.end(`${SSE_HEAD}${event('{"n":1}')}40\r\ndata: {"n":2}`)],
    ['sends a malformed size line', (s: Socket) => s.write(`${SSE_HEAD}${event('{"n":1}')}zz\r\n`)],
  ])('ends the stream with the in-stream error then [DONE] when the upstream %s', async (_, fault) => {
    script = fault;
    const res = await post();
    expect(res.status).toBe(200);
    const text = await res.text();
    // What arrived goes out as it arrived (a cut chunk's bytes too, as the undici relay does), then the error.
    expect(text.startsWith('data: {"n":1}\n\n')).toBe(true);
    const at = text.lastIndexOf('data: {"error"');
    const error = JSON.parse(text.slice(at + 6, text.indexOf('\n\n', at))) as { error: { code: string } };
    expect(error.error.code).toBe('stream_interrupted');
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    expect(outcomes).toEqual(['failed']);
    expect(failedCalls).toBe(1);
  });

  it('closes the upstream connection when the client leaves mid-stream', async () => {
    script = (s) => s.write(`${SSE_HEAD}${event('{"n":1}')}`);
    const ac = new AbortController();
    const res = await post('/', { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const closed = upstreamClosed;
    ac.abort();
    await closed;
    await expect.poll(() => outcomes).toEqual(['aborted']);
  });

  it('answers 502 "vllm unreachable" when nothing listens, and a close before the status as such', async () => {
    const down = await post('/down');
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: { message: string } }).error.message).toBe('vllm unreachable');
    script = (s) => s.destroy();
    const dropped = await post();
    expect(dropped.status).toBe(502);
    expect(((await dropped.json()) as { error: { message: string } }).error.message).toBe(
      'vllm closed the connection before answering',
    );
  });

  it('sends the request again on a new connection when vLLM closes the kept-alive one it went out on', async () => {
    expect((await post()).status).toBe(200); // a kept-alive connection now waits in the pool
    const kept = servedOn[0];
    // uvicorn's keep-alive close meeting the request: the old connection ends without a byte.
    script = (s) => {
      if (s.remotePort === kept) s.end();
      else s.write(`${SSE_HEAD}${event('{"n":1}')}${event('[DONE]')}0\r\n\r\n`);
    };
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: [DONE]\n\n');
    expect(servedOn).toHaveLength(3);
    expect(servedOn[1]).toBe(kept);
    expect(servedOn[2]).not.toBe(kept);
    expect(outcomes).toEqual(['ok', 'ok']);
  });

  it('sends it again only once, and never after part of an answer arrived', async () => {
    expect((await post()).status).toBe(200);
    script = (s) => s.destroy();
    const twice = await post();
    expect(twice.status).toBe(502);
    expect(servedOn).toHaveLength(3); // the kept connection, then one new one: no third try
    expect((await post()).status).toBe(502); // (no connection was kept: a new one, never resent)
    expect(servedOn).toHaveLength(4);
    script = (s) => s.write(`${SSE_HEAD}${event('{"n":1}')}0\r\n\r\n`);
    expect((await post()).status).toBe(200);
    script = (s) => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/event');
    const cut = await post();
    expect(cut.status).toBe(502);
    expect(((await cut.json()) as { error: { message: string } }).error.message).toBe(
      'vllm closed the connection before answering',
    );
    expect(servedOn).toHaveLength(6);
  });

  it('hands a Content-Length answer to the undici relay code, which relays it whole', async () => {
    const body = '{"id":"x","choices":[]}';
    script = (s) =>
      s.write(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(body);
    expect(outcomes).toEqual(['ok']);
  });

  it("sends the head with the first events, and the last events with the body's end: one socket write each", async () => {
    let writes = 0;
    let lastWrite = '';
    const counted = new WeakSet<object>();
    onResponse = (res) => {
      // Every write the client's socket makes (one syscall each): Writable's two hooks.
      const socket = res.socket as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
      if (counted.has(socket)) return;
      counted.add(socket);
      for (const hook of ['_write', '_writev'] as const) {
        const own = socket[hook].bind(socket);
        socket[hook] = (...a: unknown[]) => {
          writes++;
          const parts = hook === '_write' ? [{ chunk: a[0] }] : (a[0] as { chunk: unknown }[]);
          lastWrite = parts.map((p) => String(p.chunk)).join('');
          own(...a);
        };
      }
    };
    script = (s) => {
      s.write(`${SSE_HEAD}${event('{"n":1}')}${event('{"n":2}')}`);
      setTimeout(() => s.write(`${event('{"n":3}')}${event('[DONE]')}0\r\n\r\n`), 30);
    };
    const res = await post();
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\ndata: [DONE]\n\n');
    expect(outcomes).toEqual(['ok']);
    expect(writes).toBe(2);
    // The read that ended the body (the pump hands it back) and the last chunk: one write, so a
    // client never holds [DONE] while Node has not finished the response.
    expect(lastWrite).toContain('data: [DONE]');
    expect(lastWrite.endsWith('0\r\n\r\n')).toBe(true);
    // A whole answer in one read leaves in one write, head to end.
    writes = 0;
    script = (s) => s.write(`${SSE_HEAD}${event('{"n":1}')}${event('[DONE]')}0\r\n\r\n`);
    expect(await (await post()).text()).toBe('data: {"n":1}\n\ndata: [DONE]\n\n');
    expect(writes).toBe(1);
  });

  it("marks the first token at the response's first write (the metrics' seam), before the stream ends", async () => {
    let marked!: () => void;
    const mark = new Promise<void>((resolve) => (marked = resolve));
    onResponse = (res) => onFirstWrite(res, marked);
    // The rest of the answer waits for the mark: a relay that skipped `res.write` would hang here.
    script = (s) => {
      s.write(`${SSE_HEAD}${event('{"n":1}')}`);
      void mark.then(() => s.write(`${event('[DONE]')}0\r\n\r\n`));
    };
    const res = await post();
    expect(await res.text()).toBe('data: {"n":1}\n\ndata: [DONE]\n\n');
  });

  it('sends the head on its own when the first event is slow to come (a long prefill)', async () => {
    let headSeen!: () => void;
    const seen = new Promise<void>((resolve) => (headSeen = resolve));
    // The first event waits until the client has the status: without the head flushed alone, never.
    script = (s) => {
      s.write(SSE_HEAD);
      void seen.then(() => s.write(`${event('late')}0\r\n\r\n`));
    };
    const res = await post();
    expect(res.status).toBe(200);
    headSeen();
    expect(await res.text()).toBe('data: late\n\n');
    expect(outcomes).toEqual(['ok']);
  });

  it('takes only http: upstreams on this machine or its LAN', () => {
    expect(splice.takes('http://127.0.0.1:8000/v1/chat/completions')).toBe(true);
    expect(splice.takes('http://[::1]:8000/v1/chat/completions')).toBe(true);
    expect(splice.takes('http://spark1.local:8000/v1/chat/completions')).toBe(true);
    expect(splice.takes('https://127.0.0.1:8000/v1/chat/completions')).toBe(false);
    expect(splice.takes('http://api.example.com/v1/chat/completions')).toBe(false);
    expect(splice.takes('http://198.51.100.7/v1/chat/completions')).toBe(false);
  });
});

describe('SpliceRelay with the native pump: the stream after its hand-over', () => {
  beforeAll(() => {
    splice = new SpliceRelay(upstreamRelay, { timeoutMs: 5_000, pump });
  });
  afterAll(() => splice.destroy());

  /**
   * The upstream sends the head and a first event, then runs `rest` once the pump took the stream
   * (a test whose stream is never taken hangs or fails on its own answer).
   */
  function afterHandOver(rest: (s: Socket) => void | Promise<void>): Script {
    return (s) => {
      const before = pump!.taken;
      s.write(`${SSE_HEAD}${event('{"n":0}')}`);
      void expect
        .poll(() => pump!.taken, { interval: 5, timeout: 10_000 })
        .toBe(before + 1)
        .then(
          () => rest(s),
          () => undefined,
        );
    };
  }

  it('carries the tokens after the first, then gives the connection back for the next request', async () => {
    const sent: string[] = ['data: {"n":0}\n\n'];
    script = afterHandOver(async (s) => {
      for (let i = 1; i <= 40; i++) {
        s.write(event(`{"n":${i}}`));
        sent.push(`data: {"n":${i}}\n\n`);
        await new Promise((r) => setTimeout(r, 1));
      }
      s.write(`${event('[DONE]')}0\r\n\r\n`);
    });
    const res = await post();
    expect(await res.text()).toBe(`${sent.join('')}data: [DONE]\n\n`);
    expect(outcomes).toEqual(['ok']);
    expect(pump!.size).toBe(0);
    // The connection went back to the pool, read by Node again: the next answer comes over it.
    script = (s) => s.write(`${SSE_HEAD}${event('again')}0\r\n\r\n`);
    expect(await (await post()).text()).toBe('data: again\n\n');
    expect(new Set(servedOn).size).toBe(1);
  });

  it("re-frames a chunk split across reads, so the client's framing is whole after every write", async () => {
    const long = `{"long":"${'y'.repeat(3000)}"}`;
    script = afterHandOver(async (s) => {
      const body = `${event(long)}${event('[DONE]')}0\r\n\r\n`;
      for (const [from, to] of [
        [0, 2],
        [2, 700],
        [700, 2000],
        [2000, body.length - 3],
        [body.length - 3, body.length],
      ] as const) {
        s.write(body.slice(from, to));
        await new Promise((r) => setTimeout(r, 15));
      }
    });
    const res = await post();
    expect(await res.text()).toBe(`data: {"n":0}\n\ndata: ${long}\n\ndata: [DONE]\n\n`);
    expect(outcomes).toEqual(['ok']);
  });

  it.each([
    ['closes mid-stream', (s: Socket) => void s.end(event('{"n":1}'))],
    ['closes inside a chunk', (s: Socket) => void s.end(`${event('{"n":1}')}40\r\ndata: {"n":2}`)],
    ['sends a malformed size line', (s: Socket) => void s.write(`${event('{"n":1}')}zz\r\n`)],
  ])('ends with the in-stream error then [DONE] when the upstream %s', async (_, fault) => {
    script = afterHandOver(fault);
    const res = await post();
    const text = await res.text();
    expect(text.startsWith('data: {"n":0}\n\ndata: {"n":1}\n\n')).toBe(true);
    expect(text).toContain('"code":"stream_interrupted"');
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    expect(outcomes).toEqual(['failed']);
    expect(failedCalls).toBe(1);
    expect(pump!.size).toBe(0);
  });

  it("times vLLM's silence itself: past the relay's timeout the stream breaks off and vLLM's socket closes", async () => {
    script = afterHandOver(() => undefined);
    const taken = pump!.taken;
    const res = await post('/short');
    const closed = upstreamClosed;
    const text = await res.text();
    expect(text.startsWith('data: {"n":0}\n\n')).toBe(true);
    expect(text).toContain('"code":"stream_interrupted"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    await closed;
    expect(outcomes).toEqual(['failed']);
    expect(pump!.taken).toBe(taken + 1); // the pump's timer, not Node's, ended it
  });

  it('closes the upstream connection when the client leaves, and the pump lets the stream go', async () => {
    script = afterHandOver(() => undefined);
    const ac = new AbortController();
    const res = await post('/', { signal: ac.signal });
    await res.body!.getReader().read();
    await expect.poll(() => pump!.size).toBe(1);
    const closed = upstreamClosed;
    ac.abort();
    await closed;
    await expect.poll(() => outcomes).toEqual(['aborted']);
    expect(pump!.size).toBe(0);
  });

  it('loses nothing to a client that stops reading (the pump waits for room, then goes on)', async () => {
    const events = 1500;
    const payload = 'z'.repeat(8000);
    script = afterHandOver((s) => {
      for (let i = 1; i <= events; i++) s.write(event(`{"i":${i},"p":"${payload}"}`));
      s.write(`${event('[DONE]')}0\r\n\r\n`);
    });
    const res = await post();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    // (The first read may already hold some of the pumped events.)
    let text = decoder.decode((await reader.read()).value, { stream: true });
    // ~12 MB sent while nobody reads: the socket buffers fill and the pump must hold the rest.
    await new Promise((r) => setTimeout(r, 300));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const ids = [...text.matchAll(/"i":(\d+),"p":"(z+)"/g)];
    expect(ids.map((m) => Number(m[1]))).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(ids.every((m) => m[2] === payload)).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(outcomes).toEqual(['ok']);
  });

  it('keeps its sockets out of child processes: vLLM sees the close though a child spawned mid-stream lives on', async () => {
    script = afterHandOver(() => undefined);
    const ac = new AbortController();
    const res = await post('/', { signal: ac.signal });
    await res.body!.getReader().read();
    await expect.poll(() => pump!.size).toBe(1);
    // ffmpeg or ssh started while a stream is pumped: an inherited descriptor would hold it open.
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const closed = upstreamClosed;
      ac.abort();
      await closed;
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
  });

  it("lets go of a stream whose client leaves while output waits for room, closing vLLM's socket", async () => {
    script = afterHandOver((s) => {
      for (let i = 1; i <= 1500; i++) s.write(event(`{"i":${i},"p":"${'w'.repeat(8000)}"}`));
    });
    const ac = new AbortController();
    const res = await post('/', { signal: ac.signal });
    await res.body!.getReader().read();
    await new Promise((r) => setTimeout(r, 200)); // the client's buffers fill: the pump holds output
    expect(pump!.size).toBe(1);
    const closed = upstreamClosed;
    ac.abort();
    await closed;
    await expect.poll(() => outcomes).toEqual(['aborted']);
    expect(pump!.size).toBe(0);
  });

  it.each([
    [
      'token by token',
      (s: Socket) => {
        s.write(event('{"n":1}'));
        setTimeout(() => s.write(`${event('[DONE]')}0\r\n\r\n`), 20);
      },
    ],
    ['all in one read', (s: Socket) => void s.write(`${event('{"n":1}')}${event('[DONE]')}0\r\n\r\n`)],
  ])(
    'takes a stream whose head came alone at once, marking the first token when it is sent (%s)',
    async (_, body) => {
      let marked = false;
      onResponse = (res) => onFirstWrite(res, () => (marked = true));
      let sendBody!: () => void;
      const gate = new Promise<void>((resolve) => (sendBody = resolve));
      script = (s) => {
        s.write(SSE_HEAD); // vLLM's head, before the prompt's prefill
        void gate.then(() => body(s));
      };
      const taken = pump!.taken;
      const res = await post();
      expect(res.status).toBe(200);
      expect(pump!.taken).toBe(taken + 1); // before any event: the first token is the pump's
      await new Promise((r) => setTimeout(r, 30));
      expect(marked).toBe(false); // a head alone is no first token
      sendBody();
      expect(await res.text()).toBe('data: {"n":1}\n\ndata: [DONE]\n\n');
      expect(marked).toBe(true);
      await expect.poll(() => outcomes).toEqual(['ok']);
    },
  );

  it('does not reuse a connection that sent bytes after the body', async () => {
    script = afterHandOver((s) => void s.write(`${event('[DONE]')}0\r\n\r\nHTTP/1.1 200 OK\r\n`));
    expect(await (await post()).text()).toBe('data: {"n":0}\n\ndata: [DONE]\n\n');
    script = (s) => s.write(`${SSE_HEAD}${event('fresh')}0\r\n\r\n`);
    expect(await (await post()).text()).toBe('data: fresh\n\n');
    expect(new Set(servedOn).size).toBe(2);
  });

  it('takes pumped streams back at shutdown: the client gets the in-stream error, vLLM a closed socket', async () => {
    const closing = new SpliceRelay(upstreamRelay, { timeoutMs: 5_000, pump });
    splice = closing;
    script = afterHandOver(() => undefined);
    const res = await post();
    const reader = res.body!.getReader();
    await reader.read();
    await expect.poll(() => pump!.size).toBe(1);
    const closed = upstreamClosed;
    closing.destroy();
    expect(pump!.size).toBe(0);
    await closed;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(outcomes).toEqual(['failed']);
  });
});
