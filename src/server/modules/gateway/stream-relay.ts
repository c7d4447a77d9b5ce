// The relay's hot path: an upstream body's chunks written to the client as they arrive. This runs
// once per streamed token (tens of thousands of times a second at a few hundred streams), so it is
// plain event handlers — no async iterator, no promise or `await` per chunk: a chunk is handed on
// inside the 'data' event that brought it, and only a full client buffer (`write()` returns false)
// pauses the upstream body until 'drain'. The bytes are never parsed or re-encoded.
//
// A profile at 256 streams showed the time outside the kernel's socket writes spread over Node's
// chunked-response machinery (cork, a nextTick to uncork, four buffers per chunk gathered into one
// writev, the size as a string). So when the response is the socket's active one, chunked, with its
// headers flushed and nothing queued, each chunk goes to the socket as one buffer already framed
// (`<size hex>\r\n<bytes>\r\n`) — the same bytes `res.write` would send. `res.end()` then writes the
// last chunk as usual. Anything else (HTTP/1.0, a Content-Length body) goes through `res.write`.
import type { ServerResponse } from 'node:http';
import { finished, type Readable, type Writable } from 'node:stream';

const CRLF = 0x0d0a;

/** `<size in hex>\r\n<chunk>\r\n` in one buffer: one HTTP/1.1 chunk. */
export function frameChunk(chunk: Buffer): Buffer {
  const size = chunk.length.toString(16);
  const framed = Buffer.allocUnsafe(size.length + chunk.length + 4);
  framed.write(size, 0, 'latin1');
  framed.writeUInt16BE(CRLF, size.length);
  chunk.copy(framed, size.length + 2);
  framed.writeUInt16BE(CRLF, framed.length - 2);
  return framed;
}

/** The socket to write framed chunks to directly, or null when `res.write` must do it. */
function directSocket(out: Writable): Writable | null {
  const res = out as Partial<ServerResponse>;
  // `res.socket` is set only while this response is the connection's active one (a pipelined
  // request's response waits without one).
  if (!res.chunkedEncoding || !res.flushHeaders) return null;
  // `headersSent` turns true at writeHead, before the header bytes leave with the first write:
  // flushing makes sure they are on the socket (or queued, which `writableLength` then shows).
  res.flushHeaders();
  if (res.writableLength !== 0) return null;
  const socket = res.socket;
  return socket && socket.writable && !socket.destroyed ? socket : null;
}

/**
 * Writes every chunk of `body` to `out` with backpressure. Resolves when `body` has ended (`out`
 * is left open for the caller to end); rejects when `body` fails or breaks off, or when `signal`
 * aborts (the client left) — then `body` is destroyed and no further byte is written.
 */
export function pipeBody(body: Readable, out: Writable, signal: AbortSignal): Promise<void> {
  const socket = directSocket(out);
  const sink = socket ?? out;
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let stopWatching = () => {};
    const resume = () => body.resume();
    const onData = (chunk: Buffer) => {
      if (chunk.length === 0) return; // an empty HTTP chunk would end the response
      if (!(socket ? socket.write(frameChunk(chunk)) : out.write(chunk))) {
        body.pause();
        sink.once('drain', resume);
      }
    };
    const settle = (err?: unknown) => {
      if (done) return;
      done = true;
      body.off('data', onData);
      sink.off('drain', resume);
      signal.removeEventListener('abort', onAbort);
      stopWatching();
      if (err === undefined) resolve();
      else {
        body.destroy();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const onAbort = () => settle(signal.reason ?? new Error('aborted'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    // `finished` also reports a body that closes without ending (a premature close) as an error.
    stopWatching = finished(body, { writable: false }, (err) => settle(err ?? undefined));
    body.on('data', onData);
  });
}
