// The floor for the gateway benchmark: the least a Node relay can do, in its own process
// (`node --import tsx bench/gateway-raw-relay.ts <upstream origin> <http|undici|framed>`). No
// routing, no auth, no stats, no error handling: the client's body is read, POSTed upstream on a
// keep-alive pool, and the answer's status, type and bytes are piped back. `http` uses node:http on
// both sides (llhttp in C++), `undici` uses undici's client (llhttp in WASM) as the gateway does;
// `framed` is node:http upstream with each chunk written to the client's socket as one pre-framed
// HTTP/1.1 chunk (as gateway/stream-relay.ts does); `dispatch` is undici's dispatcher with a handler
// writing pre-framed chunks to the socket (no Readable per response) — the cheapest relay Node offers
// without internals.
// If even this costs more than 2× nginx per chunk, the target is out of reach for any Node relay.
// Prints one JSON line: { pid, url }.
import { createServer, request as httpRequest, Agent as HttpAgent, type ServerResponse } from 'node:http';
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

server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  process.stdout.write(`${JSON.stringify({ pid: process.pid, url: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
