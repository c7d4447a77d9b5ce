// The relay's hot path: an upstream body's chunks written to the client as they arrive. This runs
// once per streamed token (tens of thousands of times a second at a few hundred streams), so it is
// plain event handlers — no async iterator, no promise or `await` per chunk: a chunk is handed on
// inside the 'data' event (pipeBody) or parser callback (pipeChunks, the relay's path) that brought
// it, and only a full client buffer (`write()` returns false) pauses the upstream body until
// 'drain'. The bytes are never parsed or re-encoded.
//
// A profile at 256 streams showed the time outside the kernel's socket writes spread over Node's
// chunked-response machinery (cork, a nextTick to uncork, four buffers per chunk gathered into one
// writev, the size as a string). So once the response is the socket's active one, chunked, with
// nothing queued, each chunk goes to the socket as one buffer already framed
// (`<size hex>\r\n<bytes>\r\n`) — the same bytes `res.write` would send. `res.end()` then writes the
// last chunk as usual. Anything else (HTTP/1.0, a Content-Length body) goes through `res.write`.
//
// The first chunk always goes through `res.write`, which sends the status line and headers with it
// in one write: a later profile (8-token streams) showed the separate header write costing as much
// as five chunk writes. So that an upstream slow to send its first byte (a long prefill) still lets
// the client see its status at once, the headers are flushed alone after HEADERS_ALONE_AFTER_MS.
import type { ServerResponse } from 'node:http';
import { finished, type Readable, type Writable } from 'node:stream';
import type { UpstreamResponse } from './upstream-dispatch.js';

/** What `pipeChunks` needs of an upstream answer. */
type ChunkSource = Pick<UpstreamResponse, 'stream' | 'resume' | 'abort'>;

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

/** Headers still unsent this long after the body began are flushed on their own. */
export const HEADERS_ALONE_AFTER_MS = 50;

export type Response = Partial<ServerResponse> & Writable;

/** A chunked node:http response (its chunks can be framed here); false for any other sink. */
const isChunked = (out: Writable): boolean => (out as Response).chunkedEncoding === true;

/**
 * The socket to write framed chunks to directly, or null while `res.write` must do it: only when
 * the response is the connection's active one (a pipelined request's response waits without a
 * socket), its headers are out (`res.write` sent them with a chunk) and nothing is queued before.
 */
export function directSocket(res: Response): Writable | null {
  if (res.writableLength !== 0) return null;
  const socket = res.socket;
  return socket && socket.writable && !socket.destroyed && socket.writableLength === 0 ? socket : null;
}

/**
 * Writes chunks to `out` as described above: `write` returns false when the client's buffer is
 * full ('drain' on `sink` says when to go on); `stop` drops the headers' timer.
 */
function chunkWriter(out: Writable) {
  const res = out as Response;
  const framed = isChunked(out);
  let socket: Writable | null = null;
  let first = true;
  // Cleared by the first chunk; a response whose headers are already out gets an empty write.
  let headersAlone: NodeJS.Timeout | undefined =
    typeof res.flushHeaders === 'function'
      ? setTimeout(() => {
          headersAlone = undefined;
          res.flushHeaders?.();
        }, HEADERS_ALONE_AFTER_MS)
      : undefined;
  return {
    write(chunk: Buffer): boolean {
      if (socket) return socket.write(frameChunk(chunk));
      if (first) {
        first = false;
        clearTimeout(headersAlone);
        return out.write(chunk);
      }
      if (framed && (socket = directSocket(res))) return socket.write(frameChunk(chunk));
      return out.write(chunk);
    },
    get sink(): Writable {
      return socket ?? out;
    },
    stop: () => clearTimeout(headersAlone),
  };
}

/**
 * Writes every chunk of `body` to `out` with backpressure. Resolves when `body` has ended (`out`
 * is left open for the caller to end); rejects when `body` fails or breaks off, or when `signal`
 * aborts (the client left) — then `body` is destroyed and no further byte is written.
 */
export function pipeBody(body: Readable, out: Writable, signal: AbortSignal): Promise<void> {
  const writer = chunkWriter(out);
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let stopWatching = () => {};
    let sink: Writable = out;
    const resume = () => body.resume();
    const onData = (chunk: Buffer) => {
      if (chunk.length === 0) return; // an empty HTTP chunk would end the response
      if (writer.write(chunk)) return;
      body.pause();
      sink = writer.sink;
      sink.once('drain', resume);
    };
    const settle = (err?: unknown) => {
      if (done) return;
      done = true;
      writer.stop();
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

/**
 * `pipeBody` for an upstream answer read through undici's dispatcher (upstream-dispatch.ts): the
 * same writes, with the chunks handed over by undici's parser instead of a Readable's events.
 */
export function pipeChunks(up: ChunkSource, out: Writable, signal: AbortSignal): Promise<void> {
  const writer = chunkWriter(out);
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let waiting: Writable | null = null;
    const resume = () => {
      waiting = null;
      up.resume();
    };
    const settle = (err?: Error) => {
      if (done) return;
      done = true;
      writer.stop();
      waiting?.off('drain', resume);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else {
        up.abort(err);
        reject(err);
      }
    };
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    up.stream({
      data(chunk) {
        // After an abort nothing more is written; an empty HTTP chunk would end the response.
        if (done || chunk.length === 0 || writer.write(chunk)) return true;
        if (!waiting) {
          waiting = writer.sink;
          waiting.once('drain', resume);
        }
        return false;
      },
      end: () => settle(),
      error: (err) => settle(err),
    });
  });
}
