// Every request body passes through a BodyClock (limits.ts): a body that stalls, trickles or takes
// too long is cut off with a JSON 408 and its connection closed, whatever route reads it. One
// timer judges all bodies in flight, so a thousand stalled clients cost one interval, not a
// thousand.
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { BodyClock, type BodyKind, type InputLimits, type Verdict } from './limits.js';

/** Bodies in flight, judged every `watchIntervalMs`. */
export class BodyWatch {
  private readonly bodies = new Set<GuardedBody>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.bodies.size;
  }

  add(body: GuardedBody): void {
    this.bodies.add(body);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.intervalMs);
      this.timer.unref();
    }
  }

  delete(body: GuardedBody): void {
    this.bodies.delete(body);
    if (this.bodies.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Stops judging (server shutdown). */
  clear(): void {
    for (const body of [...this.bodies]) this.delete(body);
  }

  /**
   * Judges every body and cuts off the ones that broke a rule, at most CUT_BATCH per turn of the
   * event loop: a thousand uploads opened together stall together, and answering all their 408s
   * in one go would stall every other client for as long.
   */
  check(): void {
    const now = this.now();
    const broken: [GuardedBody, Verdict][] = [];
    for (const body of this.bodies) {
      const verdict = body.clock.verdict(now);
      if (!verdict) continue;
      this.delete(body);
      broken.push([body, verdict]);
    }
    const cut = (from: number) => {
      for (const [body, verdict] of broken.slice(from, from + CUT_BATCH)) {
        body.destroy(
          new AppError('REQUEST_TIMEOUT', verdict.message, {
            headers: { connection: 'close' },
            details: { reason: verdict.reason },
          }),
        );
      }
      if (from + CUT_BATCH < broken.length) setImmediate(() => cut(from + CUT_BATCH));
    };
    cut(0);
  }
}

/** Bodies cut off per turn of the event loop (see BodyWatch.check). */
const CUT_BATCH = 32;

/** The request body as the route sees it: the same bytes, timed on the way. */
export class GuardedBody extends Transform {
  constructor(
    readonly clock: BodyClock,
    private readonly now: () => number,
  ) {
    super();
    // The route's reader gets the error (Fastify's body parser, the upload spool). A body nobody
    // reads — answered early with 429 or 415, the client then gone — must not crash the process.
    this.on('error', () => undefined);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.clock.received(chunk.length, this.now());
    cb(null, chunk);
  }
}

/** Every byte of a Content-Length body is already buffered (never a chunked one: its end is unknown). */
const arrivedWhole = (req: FastifyRequest): boolean => {
  const length = req.headers['content-length'];
  return (
    req.headers['transfer-encoding'] === undefined &&
    length !== undefined &&
    req.raw.readableLength >= Number(length)
  );
};

const hasBody = (req: FastifyRequest): boolean => {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
};

export const bodyKind = (contentType: string | undefined): BodyKind =>
  contentType?.trimStart().toLowerCase().startsWith('multipart/') ? 'upload' : 'body';

/** Times every request body through `watch`; returns the watch (tests and metrics read its size). */
export function installBodyGuard(app: FastifyInstance, limits: InputLimits, now = Date.now): BodyWatch {
  const watch = new BodyWatch(limits.watchIntervalMs, now);
  app.addHook('preParsing', async (req, reply, payload) => {
    // A body already here whole (it came with the headers, as a small JSON body does) has nothing
    // left to time: skipping the Transform saves a stream, a pipe and five listeners per request,
    // which a profile of the gateway at 256 streams showed among its per-request costs.
    if (!hasBody(req) || arrivedWhole(req)) return payload;
    const body = new GuardedBody(new BodyClock(bodyKind(req.headers['content-type']), limits, now()), now);
    const done = () => watch.delete(body);
    body.once('end', done);
    body.once('close', done);
    reply.raw.once('close', done);
    const src = payload as IncomingMessage;
    src.once('error', (e) => body.destroy(e));
    src.once('close', () => {
      // The client went away mid-body: the route's reader fails now instead of waiting.
      if (src.complete === false)
        body.destroy(new AppError('BAD_REQUEST', 'The client closed the connection.'));
    });
    // A route that answers without reading the body (404, 415, an early refusal) leaves it piped
    // and paused: Node would then never read the next request on this keep-alive connection. Once
    // the answer is out, the rest of the body is read and dropped, as Node does for unread bodies.
    reply.raw.once('finish', () => {
      if (src.complete) return;
      done();
      src.unpipe(body);
      src.resume();
    });
    src.pipe(body);
    watch.add(body);
    return body;
  });
  app.addHook('onClose', async () => watch.clear());
  return watch;
}
