// pipeBody against in-memory streams (order, backpressure, a body that fails or breaks off, abort)
// and against a real node:http response, read as raw bytes off the wire.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { frameChunk, pipeBody } from './stream-relay.js';

/** One request to a server whose handler pipes `parts` with pipeBody; the raw response bytes. */
async function rawResponse(parts: string[], httpVersion: '1.0' | '1.1', flush = true): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (flush) res.flushHeaders();
    const body = Readable.from(parts.map((p) => Buffer.from(p)));
    pipeBody(body, res, new AbortController().signal).then(
      () => res.end(),
      (err: unknown) => res.destroy(err as Error),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.end(`GET / HTTP/${httpVersion}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const got: Buffer[] = [];
    for await (const c of socket) got.push(c as Buffer);
    return Buffer.concat(got).toString();
  } finally {
    server.close();
  }
}

/** A sink whose buffer holds `highWaterMark` bytes and that drains only when told to. */
function slowSink(highWaterMark: number) {
  const got: string[] = [];
  const pending: (() => void)[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      got.push(chunk.toString());
      pending.push(cb);
    },
  });
  return { sink, got, release: () => pending.splice(0).forEach((cb) => cb()) };
}

describe('pipeBody', () => {
  it('writes every chunk unchanged and in order, and leaves the sink open', async () => {
    const chunks = ['data: {"a":1}\n\n', 'data: {"b":"é"}\n\n', 'data: [DONE]\n\n'];
    const got: Buffer[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        got.push(c);
        cb();
      },
    });
    await pipeBody(Readable.from(chunks.map((c) => Buffer.from(c))), sink, new AbortController().signal);
    expect(Buffer.concat(got).toString()).toBe(chunks.join(''));
    expect(sink.writableEnded).toBe(false);
  });

  it('stops reading while the client is full and goes on after drain', async () => {
    const body = new PassThrough();
    const { sink, got, release } = slowSink(4);
    const piped = pipeBody(body, sink, new AbortController().signal);
    body.write('12345');
    body.write('678');
    await new Promise((r) => setImmediate(r));
    expect(body.isPaused()).toBe(true);
    release();
    await new Promise((r) => setImmediate(r));
    release();
    body.end();
    await new Promise((r) => setImmediate(r));
    release();
    await piped;
    expect(got.join('')).toBe('12345678');
  });

  it('rejects when the body fails mid-stream, after relaying what came before', async () => {
    const body = new PassThrough();
    const got: string[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        got.push(c.toString());
        cb();
      },
    });
    const piped = pipeBody(body, sink, new AbortController().signal);
    body.write('data: 1\n\n');
    await new Promise((r) => setImmediate(r));
    body.destroy(new Error('other side closed'));
    await expect(piped).rejects.toThrow('other side closed');
    expect(got).toEqual(['data: 1\n\n']);
  });

  it('rejects a body that closes without ending', async () => {
    const body = new PassThrough();
    const piped = pipeBody(body, new PassThrough(), new AbortController().signal);
    body.destroy();
    await expect(piped).rejects.toThrow(/premature close/i);
  });

  it('on abort destroys the body, writes nothing more and rejects, even while paused', async () => {
    const body = new PassThrough();
    const { sink, got } = slowSink(1);
    const ac = new AbortController();
    const piped = pipeBody(body, sink, ac.signal);
    body.write('ab');
    await new Promise((r) => setImmediate(r));
    ac.abort(new Error('client left'));
    body.write('cd');
    await expect(piped).rejects.toThrow('client left');
    expect(body.destroyed).toBe(true);
    expect(got).toEqual(['ab']);
  });

  it('rejects at once for a signal already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const body = new PassThrough();
    await expect(pipeBody(body, new PassThrough(), ac.signal)).rejects.toBeDefined();
    expect(body.destroyed).toBe(true);
  });
});

describe('pipeBody on a node:http response', () => {
  it('sends HTTP/1.1 chunks framed exactly as res.write would (size in bytes), then the last chunk', async () => {
    const raw = await rawResponse(['data: {"é":1}\n\n', '', 'data: [DONE]\n\n'], '1.1');
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    expect(raw).toMatch(/transfer-encoding: chunked/i);
    expect(body).toBe('10\r\ndata: {"é":1}\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n');
  });

  it('sends headers not yet flushed with the first chunk, then the same bytes', async () => {
    const raw = await rawResponse(['data: 1\n\n', 'data: [DONE]\n\n'], '1.1', false);
    expect(raw).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(raw.slice(raw.indexOf('\r\n\r\n') + 4)).toBe(
      '9\r\ndata: 1\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n',
    );
  });

  it('flushes the headers alone when the first chunk is slow to come', async () => {
    const body = new PassThrough();
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      pipeBody(body, res, new AbortController().signal).then(
        () => res.end(),
        (err: unknown) => res.destroy(err as Error),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      // The body sends nothing until the client has the status line: without the flush, no end.
      const [head] = (await once(socket, 'data')) as [Buffer];
      expect(head.toString()).toMatch(/^HTTP\/1.1 200 OK\r\n[\s\S]*\r\n\r\n$/);
      const rest: Buffer[] = [];
      socket.on('data', (c: Buffer) => rest.push(c));
      body.end('data: 1\n\n');
      await once(socket, 'end');
      expect(Buffer.concat(rest).toString()).toBe('9\r\ndata: 1\n\n\r\n0\r\n\r\n');
    } finally {
      server.close();
    }
  });

  it('sends an HTTP/1.0 client the bytes unframed', async () => {
    const raw = await rawResponse(['data: 1\n\n', 'data: 2\n\n'], '1.0');
    expect(raw.slice(raw.indexOf('\r\n\r\n') + 4)).toBe('data: 1\n\ndata: 2\n\n');
  });
});

describe('frameChunk', () => {
  it('puts the size in hex and CRLFs around the bytes', () => {
    const chunk = Buffer.alloc(300, 'x');
    expect(frameChunk(chunk).toString()).toBe(`12c\r\n${'x'.repeat(300)}\r\n`);
  });
});
