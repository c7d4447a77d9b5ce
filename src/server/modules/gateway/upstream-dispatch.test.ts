// dispatchPost against a real local HTTP server: the status and headers, the body as a Readable or
// chunk by chunk (chunks that came before the sink was given included), an abort that reaches the
// upstream, and a refused connection rejecting before any status.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { readText } from './proxy.js';
import { dispatchPost, type ChunkSink } from './upstream-dispatch.js';

let server: Server | undefined;
const agent = new Agent({ connections: 4 });

async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

const post = (url: string, signal = new AbortController().signal) =>
  dispatchPost(agent, url, {
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{}'),
    signal,
  });

/** A sink that collects what it is given and settles when the body ends or fails. */
function collect(): { sink: ChunkSink; chunks: string[]; done: Promise<Error | null> } {
  const chunks: string[] = [];
  let settle: (e: Error | null) => void = () => {};
  const done = new Promise<Error | null>((r) => (settle = r));
  return {
    chunks,
    done,
    sink: {
      data: (c) => chunks.push(c.toString()) > 0,
      end: () => settle(null),
      error: (e) => settle(e),
    },
  };
}

describe('dispatchPost', () => {
  it('resolves with the status and lowercase headers, and reads the body as a Readable', async () => {
    const url = await upstream((req, res) => {
      req.resume();
      res.writeHead(418, { 'Content-Type': 'application/json', 'X-Two': ['a', 'b'] });
      res.end('{"detail":"teapot"}');
    });
    const up = await post(`${url}/v1/x?y=1`);
    expect(up.statusCode).toBe(418);
    expect(up.headers['content-type']).toBe('application/json');
    expect(up.headers['x-two']).toEqual(['a', 'b']);
    expect(await readText(up.body, 1024)).toBe('{"detail":"teapot"}');
  });

  it('hands every chunk to the sink in order, those that came before the sink included', async () => {
    const url = await upstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\ndata: [DONE]\n\n'), 20);
    });
    const up = await post(url);
    // Let the first chunk arrive before anyone asks for the body.
    await new Promise((r) => setTimeout(r, 10));
    const c = collect();
    up.stream(c.sink);
    expect(await c.done).toBeNull();
    expect(c.chunks.join('')).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
  });

  it('an abort mid-stream closes the upstream request and fails the sink', async () => {
    let upstreamClosed!: Promise<unknown>;
    const url = await upstream((req, res) => {
      req.resume();
      upstreamClosed = once(res, 'close');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n'); // and never more
    });
    const ac = new AbortController();
    const up = await post(url, ac.signal);
    const c = collect();
    up.stream({
      ...c.sink,
      data: (chunk) => {
        ac.abort(new Error('client left'));
        return c.sink.data(chunk);
      },
    });
    expect((await c.done)?.message).toBe('client left');
    await upstreamClosed;
  });

  it('rejects before any status when the upstream refuses the connection', async () => {
    const url = await upstream(() => {});
    server?.close();
    await once(server!, 'close');
    server = undefined;
    await expect(post(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
