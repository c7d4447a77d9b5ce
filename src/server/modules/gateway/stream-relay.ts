// The relay's hot path: an upstream body's chunks written to the client as they arrive. This runs
// once per streamed token (tens of thousands of times a second at a few hundred streams), so it is
// plain event handlers — no async iterator, no promise or `await` per chunk: a chunk is handed to
// `write()` inside the 'data' event that brought it, and only a full client buffer (`write()`
// returns false) pauses the upstream body until 'drain'. The bytes are never parsed or re-encoded.
import { finished, type Readable, type Writable } from 'node:stream';

/**
 * Writes every chunk of `body` to `out` with backpressure. Resolves when `body` has ended (`out`
 * is left open for the caller to end); rejects when `body` fails or breaks off, or when `signal`
 * aborts (the client left) — then `body` is destroyed and no further byte is written.
 */
export function pipeBody(body: Readable, out: Writable, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let stopWatching = () => {};
    const resume = () => body.resume();
    const onData = (chunk: Buffer) => {
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', resume);
      }
    };
    const settle = (err?: unknown) => {
      if (done) return;
      done = true;
      body.off('data', onData);
      out.off('drain', resume);
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
