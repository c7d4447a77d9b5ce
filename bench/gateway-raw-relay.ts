// The floor for the gateway benchmark: the least a Node relay can do, in its own process
// (`node --import tsx bench/gateway-raw-relay.ts <upstream origin> <http|undici|framed>`). No
// routing, no auth, no stats, no error handling: the client's body is read, POSTed upstream on a
// keep-alive pool, and the answer's status, type and bytes are piped back. `http` uses node:http on
// both sides (llhttp in C++), `undici` uses undici's client (llhttp in WASM) as the gateway does;
// `framed` is node:http upstream with each chunk written to the client's socket as one pre-framed
// HTTP/1.1 chunk (as gateway/stream-relay.ts does); `dispatch` is undici's dispatcher with a handler
// writing pre-framed chunks to the socket (no Readable per response) — the cheapest relay Node offers
// without internals. `splice` does not parse the upstream body at all: a hand-written request on a
// pooled net.Socket (read with `onread`: no Readable), the response head parsed by hand, then the
// upstream's chunked bytes passed to the client's socket as they arrive, only their size lines
// followed (gateway/chunked-tracker.ts) to find the end.
// If even this costs more than 2× nginx per chunk, the target is out of reach for any Node relay.
// Prints one JSON line: { pid, url }.
import { createServer, request as httpRequest, Agent as HttpAgent, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ChunkedTracker } from '../src/server/modules/gateway/chunked-tracker.js';
import { Agent, request } from 'undici';
import { frameChunk } from '../src/server/modules/gateway/stream-relay.js';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:8000');
const mode = process.argv[3] ?? 'http';
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 1024, timeout: 4_000 });
const undiciAgent = new Agent({ connections: 1024, pipelining: 1, keepAliveTimeout: 4_000 });

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    const headers = { 'content-type': 'application/json', accept: req.headers.accept ?? '*/*' };
    if (mode === 'dispatch') return void dispatchRelay(req.url ?? '/', headers, body, res);
    if (mode === 'splice') return void spliceRelay(req.url ?? '/', headers.accept, body, res);
    if (mode !== 'undici') {
      const up = httpRequest(
        upstream,
        {
          method: 'POST',
          path: req.url,
          agent: httpAgent,
          headers: { ...headers, 'content-length': body.length },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'text/plain' });
          if (mode !== 'framed') return void r.pipe(res);
          res.flushHeaders();
          const socket = res.socket!;
          r.on('data', (c: Buffer) => {
            if (!socket.write(frameChunk(c))) {
              r.pause();
              socket.once('drain', () => r.resume());
            }
          });
          r.on('end', () => res.end());
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
      return;
    }
    request(new URL(req.url ?? '/', upstream), {
      dispatcher: undiciAgent,
      method: 'POST',
      headers,
      body,
    }).then(
      (r) => {
        const type = r.headers['content-type'];
        res.writeHead(r.statusCode, { 'content-type': typeof type === 'string' ? type : 'text/plain' });
        r.body.pipe(res);
      },
      () => res.destroy(),
    );
  });
});
/**
 * undici's dispatcher with a handler of its own: chunks go from undici's parser straight to the
 * client's socket, pre-framed, without the Readable `request()` wraps every response body in.
 */
function dispatchRelay(path: string, headers: Record<string, string>, body: Buffer, res: ServerResponse) {
  let resumeUpstream: () => void = () => {};
  const resume = () => resumeUpstream();
  undiciAgent.dispatch(
    { origin: upstream.origin, path, method: 'POST', headers, body },
    {
      onConnect() {},
      onHeaders(status: number, raw: Buffer[], resumeFn: () => void) {
        resumeUpstream = resumeFn;
        let type = 'text/plain';
        for (let i = 0; i < raw.length; i += 2)
          if (raw[i]!.toString('latin1').toLowerCase() === 'content-type')
            type = raw[i + 1]!.toString('latin1');
        res.writeHead(status, { 'content-type': type });
        res.flushHeaders();
        return true;
      },
      onData(chunk: Buffer) {
        const socket = res.socket!;
        if (socket.write(frameChunk(chunk))) return true;
        socket.once('drain', resume);
        return false;
      },
      onComplete() {
        res.end();
      },
      onError() {
        res.destroy();
      },
    },
  );
}

/** A pooled upstream connection; `onRead` is whoever's request it carries now. */
interface Conn {
  socket: Socket;
  onRead: (bytes: Buffer) => boolean;
  onEnd: () => void;
}
const idle: Conn[] = [];
// One read buffer for every socket: `onread` callbacks run one at a time and copy what they keep.
const readBuffer = Buffer.allocUnsafe(64 * 1024);

function takeConn(): Conn {
  const pooled = idle.pop();
  if (pooled) {
    pooled.socket.setTimeout(0);
    return pooled;
  }
  const conn: Conn = { socket: null as unknown as Socket, onRead: () => true, onEnd: () => {} };
  conn.socket = connect({
    host: upstream.hostname,
    port: Number(upstream.port),
    noDelay: true,
    onread: {
      buffer: readBuffer,
      callback: (n: number, buf: Uint8Array) => conn.onRead(Buffer.from(buf.buffer, buf.byteOffset, n)),
    },
  });
  const gone = () => {
    const i = idle.indexOf(conn);
    if (i >= 0) idle.splice(i, 1);
    conn.onEnd();
  };
  conn.socket.on('end', gone);
  conn.socket.on('close', gone);
  conn.socket.on('error', () => {});
  conn.socket.on('timeout', () => conn.socket.destroy());
  return conn;
}

function releaseConn(conn: Conn) {
  conn.onRead = () => true;
  conn.onEnd = () => conn.socket.destroy();
  conn.socket.setTimeout(4_000);
  idle.push(conn);
}

function spliceRelay(path: string, accept: string, body: Buffer, res: ServerResponse) {
  const conn = takeConn();
  const head =
    `POST ${path} HTTP/1.1\r\nhost: ${upstream.host}\r\ncontent-type: application/json\r\n` +
    `accept: ${accept}\r\ncontent-length: ${body.length}\r\n\r\n`;
  conn.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  let pending: Buffer | null = null;
  const tracker = new ChunkedTracker();
  const fail = () => {
    conn.socket.destroy();
    res.destroy();
  };
  conn.onEnd = fail;
  const pass = (bytes: Buffer): boolean => {
    // The read buffer is shared: a run passed as is must be copied before the next read.
    const out = tracker.feed(bytes);
    let more = true;
    if (out) {
      more = res.socket!.write(out.buffer === readBuffer.buffer ? Buffer.from(out) : out);
      if (!more) res.socket!.once('drain', () => conn.socket.resume());
    }
    if (tracker.failed) fail();
    else if (tracker.done) {
      conn.onEnd = () => {};
      if (tracker.extra === 0) releaseConn(conn);
      else conn.socket.destroy();
      res.end();
    }
    return more;
  };
  conn.onRead = (bytes) => {
    const all = pending ? Buffer.concat([pending, bytes]) : bytes;
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      pending = Buffer.from(all);
      return true;
    }
    const lines = all.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    let type = 'text/plain';
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-type') type = value;
      else if (name === 'transfer-encoding') chunked = value.toLowerCase() === 'chunked';
    }
    // The floor measures the streaming case only; anything else is not relayed.
    if (status !== 200 || !chunked) return (void fail(), true);
    res.writeHead(status, { 'content-type': type });
    res.flushHeaders();
    conn.onRead = pass;
    return end + 4 < all.length ? pass(all.subarray(end + 4)) : true;
  };
}

server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  process.stdout.write(`${JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
