// The splice relay: a streamed completion from vLLM passed to the client without parsing its body.
// vLLM answers a stream as `Transfer-Encoding: chunked`, one SSE event per chunk, and that framing
// is already valid HTTP/1.1 framing for our client, so the bytes read from vLLM's socket are written
// to the client's socket as they are; only the chunk-size lines are followed (chunked-tracker.ts)
// to know where the answer ends (the connection then serves the next request) or that it broke off.
// The bench measured the idea first (bench/gateway-raw-relay.ts, `splice`): undici's parser, a
// Buffer and a framed copy per token are what a Node relay pays above nginx.
//
// Only the plain case is spliced: a 200 with a chunked `text/event-stream` body, to an http:
// upstream on this machine or its LAN (splice-pool.ts). Every other answer — an error status, a
// Content-Length body, any other Transfer-Encoding — is read whole and handed to the undici
// relay's own answering code (`Upstream.answer`), so statuses, envelopes and 502s stay one code.
// Faults as there: an upstream that closes mid-stream (or sends a malformed size line) → the
// in-stream error and [DONE] after the last whole chunk; the client leaving → vLLM's socket closed
// (vLLM aborts the request); no answer before the status → the same errors as undici's.
import type { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { AppError } from '../../platform/http/errors.js';
import { ChunkedTracker } from './chunked-tracker.js';
import { decodeChunked, parseHead, type ResponseHead } from './http1-head.js';
import { STREAM_INTERRUPTED, sseErrorEvent } from './openai-error.js';
import {
  SSE_HEADERS,
  type RelayClient,
  type RelayOutcome,
  type RelayTarget,
  type Upstream,
} from './proxy.js';
import { PumpEnd, type NativePump } from './native-relay.js';
import { isLanOrigin, isShared, SplicePool, type Connection } from './splice-pool.js';
import { directSocket, HEADERS_ALONE_AFTER_MS, type Response } from './stream-relay.js';
import type { UpstreamResponse } from './upstream-dispatch.js';

export interface SpliceOptions {
  /** Idle time allowed before the status and between reads (as undici's headers/body timeouts). */
  timeoutMs: number;
  /** Connections at once; a request beyond goes through the undici relay and its queue. */
  connections?: number;
  /** Carries streams' tokens off the event loop (native-relay.ts); null: every token in JS. */
  pump?: NativePump | null;
}

interface Destination {
  host: string;
  port: number;
  /** The request line and fixed headers, up to the Accept header's value. */
  prefix: string;
}

/** How a relayed request's promise is settled (by whichever exchange ends it). */
interface Settler {
  resolve(v: RelayOutcome | Promise<RelayOutcome>): void;
  reject(err: unknown): void;
}

/** A held (non-spliced) answer bigger than this is not vLLM's answer to a stream request. */
const MAX_HELD = 32 * 1024 * 1024;
const TIMED_OUT = 'timed out';

export class SpliceRelay {
  private readonly pool: SplicePool;
  private readonly destinations = new Map<string, Destination | null>();
  private closing = false;
  /** Streams the native pump carries now, by handle (taken back at shutdown). */
  private readonly pumped = new Set<number>();

  constructor(
    private readonly upstream: Upstream,
    private readonly o: SpliceOptions,
  ) {
    this.pool = new SplicePool(o.connections ?? 1024);
  }

  /** Whether a streaming request to `url` can be spliced (else the undici relay takes it). */
  takes(url: string): boolean {
    return !this.closing && this.pool.hasRoom && this.destination(url) !== null;
  }

  private destination(url: string): Destination | null {
    let d = this.destinations.get(url);
    if (d !== undefined) return d;
    const u = new URL(url);
    d = isLanOrigin(u)
      ? {
          host: u.hostname.replace(/^\[|\]$/g, ''),
          port: Number(u.port || 80),
          prefix: `POST ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\naccept: `,
        }
      : null;
    if (this.destinations.size > 64) this.destinations.clear();
    this.destinations.set(url, d);
    return d;
  }

  /** `Upstream.relayTo` for a streaming JSON request (the fast path's). */
  relayTo(client: RelayClient, t: RelayTarget): Promise<RelayOutcome> {
    const res = client.res;
    const dest = this.destination(t.url);
    if (!dest || !Buffer.isBuffer(t.body) || res.headersSent) return this.upstream.relayTo(client, t);
    if (res.destroyed || client.gone()) return Promise.resolve('aborted');
    // Node's parser refuses CR/LF in header values; a value that still had one would split the head.
    const accept = client.accept && !/[\r\n]/.test(client.accept) ? client.accept : '*/*';
    const head = `${dest.prefix}${accept}\r\ncontent-length: ${t.body.length}\r\n\r\n`;
    const request = Buffer.concat([Buffer.from(head, 'latin1'), t.body]);
    return new Promise<RelayOutcome>((resolve, reject) =>
      this.send(client, t, dest, request, { resolve, reject }, false),
    );
  }

  /** Writes the request on a kept-alive connection (or a new one when `fresh`) and relays the answer. */
  private send(
    client: RelayClient,
    t: RelayTarget,
    dest: Destination,
    request: Buffer,
    p: Settler,
    fresh: boolean,
  ): void {
    const conn = this.pool.take(dest.host, dest.port, this.o.timeoutMs, fresh);
    conn.socket.write(request);
    // Sent again at most once, on a new connection (which is never resent).
    const resend = conn.reused ? () => this.send(client, t, dest, request, p, true) : null;
    this.exchange(client, t, dest, conn, p, resend);
  }

  private exchange(
    client: RelayClient,
    t: RelayTarget,
    dest: Destination,
    conn: Connection,
    p: Settler,
    resend: (() => void) | null,
  ): void {
    const res = client.res;
    let settled = false;
    let pending: Buffer | null = null;
    let head: ResponseHead | null = null;
    let held: Buffer[] | null = null;
    let heldSize = 0;
    let tracker: ChunkedTracker | null = null;
    let ac: AbortController | null = null;
    // The client's side: the first write goes through `res` (with the headers), later ones to the socket.
    let first = true;
    let direct: Writable | null = null;
    let waiting: Writable | null = null;
    let headersAlone: NodeJS.Timeout | undefined;
    /** The head went out alone (`res.headersSent` is true as soon as it is set, sent or not). */
    let headFlushed = false;
    /** The native pump's handle while it carries the stream. */
    let pumpedAs: number | null = null;
    /** Handed over at the head: the first token's mark waits for the pump's first bytes. */
    let firstMarked = true;
    // An empty `res.write` after the head writes nothing; it is the first write the metrics wait for.
    const markFirst = () => {
      firstMarked = true;
      if (!res.destroyed) res.write('');
    };
    /**
     * vLLM sent its head alone (it does, before the prompt's prefill): the head goes to the client
     * now and the pump takes the stream from the first token on, so the first token does not wait
     * for the event loop at all.
     */
    const handOverAtHead = (): boolean => {
      const socket = directSocket(res as Response);
      if (!socket) return false;
      res.flushHeaders();
      headFlushed = true;
      if (!handOver(socket, markFirst)) return false;
      // (The pump's first-bytes event comes on a later turn of the loop, after these are set.)
      direct = socket;
      first = false;
      firstMarked = false;
      return true;
    };
    const takeBack = () => {
      if (pumpedAs === null) return;
      this.pumped.delete(pumpedAs);
      this.o.pump!.cancel(pumpedAs);
      pumpedAs = null;
    };
    const resumeUpstream = () => {
      waiting = null;
      conn.socket.resume();
    };
    const settle = (outcome: RelayOutcome | Promise<RelayOutcome> | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(headersAlone);
      waiting?.off('drain', resumeUpstream);
      if (outcome instanceof Error) p.reject(outcome);
      else p.resolve(outcome);
    };
    res.once('close', () => {
      if (res.writableFinished) return;
      ac?.abort(); // a held answer's relay sees it
      takeBack();
      if (!settled) {
        conn.socket.destroy();
        settle('aborted');
      }
    });
    const write = (framed: Buffer): boolean => {
      // The read buffer is shared by every connection: what may stay queued must be a copy.
      const data = isShared(framed) ? Buffer.from(framed) : framed;
      if (direct) return direct.write(data);
      if (first) {
        first = false;
        clearTimeout(headersAlone);
        const socket = headFlushed ? null : directSocket(res as Response);
        if (!socket) return res.write(decodeChunked(data));
        // The head and the first chunks in one socket write, the chunks framed as vLLM framed
        // them: `res.write('')` queues the head on the corked socket (and is the response's first
        // write, which the metrics' first-token mark waits for).
        socket.cork();
        res.write('');
        direct = socket;
        const more = socket.write(data);
        // A whole answer in one read: `res.end()` uncorks, its last chunk in the same write.
        if (!tracker!.done) socket.uncork();
        return more;
      }
      direct = directSocket(res as Response);
      return direct ? direct.write(data) : res.write(decodeChunked(data));
    };
    const streamBroke = (why: string) => {
      takeBack();
      conn.socket.destroy();
      if (settled) return;
      client.log.warn({ service: t.service ?? 'vllm', why }, 'upstream stream broke off');
      t.onFailed?.();
      this.upstream.end(res, sseErrorEvent(STREAM_INTERRUPTED));
      settle('failed');
    };
    const splice = (bytes: Buffer): boolean => {
      const out = tracker!.feed(bytes);
      // vLLM's last event and the body's end usually arrive in one read: corked, they leave with
      // the last chunk that `res.end()` writes (and uncorks) in one socket write.
      if (tracker!.done && out !== null) direct?.cork();
      const more = out === null || write(out);
      if (tracker!.failed) {
        streamBroke(tracker!.failure ?? 'a malformed chunk');
        return false;
      }
      if (tracker!.done) return bodyEnded(tracker!.extra);
      if (more && pumpedAs === null && this.o.pump && tracker!.atBoundary && handOver(direct)) return false;
      if (!more && !waiting) {
        waiting = direct ?? res;
        waiting.once('drain', resumeUpstream);
      }
      return more;
    };
    const bodyEnded = (extra: number): boolean => {
      if (extra === 0 && head!.keepAlive) this.pool.release(dest.host, dest.port, conn);
      else conn.socket.destroy();
      this.upstream.end(res);
      settle('ok');
      return true;
    };
    // The rest of the stream to the native pump, once its first tokens went out and nothing is
    // queued on either side (the pump writes behind Node's back, so Node must have nothing to send).
    const handOver = (to: Writable | null, onFirst?: () => void): boolean => {
      const client = to as (Writable & { writableCorked?: number }) | null;
      if (!client || client.writableLength !== 0 || client.writableCorked || res.writableLength !== 0)
        return false;
      // Node stops reading vLLM's socket before the pump may (no read of it is then in flight).
      conn.socket.pause();
      const handle = this.o.pump!.take(conn.socket, res.socket!, this.o.timeoutMs, pumpEnded, onFirst);
      if (handle === null) {
        conn.socket.resume();
        return false;
      }
      pumpedAs = handle;
      this.pumped.add(handle);
      // The pump times vLLM's silences now; Node's timer would see none of its reads.
      conn.socket.setTimeout(0);
      return true;
    };
    const pumpEnded = (end: PumpEnd, extra: number, why: string | null, last: Buffer | null) => {
      if (pumpedAs !== null) this.pumped.delete(pumpedAs);
      pumpedAs = null;
      if (settled) return;
      if (end === PumpEnd.Done) {
        if (last && !firstMarked) markFirst();
        // vLLM's last events leave with the body's last chunk: corked here, `res.end()` uncorks.
        if (last && direct) {
          direct.cork();
          direct.write(last);
        }
        bodyEnded(extra);
        // The connection's next exchange reads it through Node again.
        if (!conn.socket.destroyed) conn.socket.resume();
      } else if (end === PumpEnd.Failed) streamBroke(why ?? 'the upstream connection closed');
      else {
        // Settled here: vLLM's socket, closed now, would otherwise report a broken stream first.
        settle('aborted');
        conn.socket.destroy();
        res.destroy();
      }
    };
    /** An answer that is not spliced, read whole and answered by the undici relay's code. */
    const hand = (err?: Error) => {
      const body = held ? Buffer.concat(held, heldSize) : Buffer.alloc(0);
      // A chunked body cut off decodes to what arrived whole, as undici would have read it.
      const payload = tracker ? decodeChunked(body) : body;
      ac = new AbortController();
      settle(this.upstream.answer(client, heldResponse(head!, payload, err), ac.signal, t));
    };
    const hold = (bytes: Buffer): boolean => {
      const length = Number(head!.headers['content-length'] ?? NaN);
      const take = tracker || Number.isNaN(length) ? bytes.length : Math.min(bytes.length, length - heldSize);
      (held ??= []).push(Buffer.from(bytes.subarray(0, take)));
      heldSize += take;
      if (tracker) tracker.feed(bytes);
      if (heldSize > MAX_HELD || tracker?.failed) {
        conn.socket.destroy();
        hand(new Error('the upstream answer could not be read'));
        return false;
      }
      if (tracker ? tracker.done : heldSize === length) {
        if (head!.keepAlive && take === bytes.length && (!tracker || tracker.extra === 0))
          this.pool.release(dest.host, dest.port, conn);
        else conn.socket.destroy();
        hand();
      }
      return true;
    };
    const onHead = (h: ResponseHead, rest: Buffer): boolean => {
      head = h;
      const te = h.headers['transfer-encoding'];
      const type = String(h.headers['content-type'] ?? '');
      if (te !== undefined && String(te).toLowerCase() !== 'chunked') {
        conn.socket.destroy();
        settle(new AppError('UPSTREAM_ERROR', `vllm answered with Transfer-Encoding ${String(te)}`));
        return false;
      }
      if (te !== undefined) tracker = new ChunkedTracker();
      const spliced =
        h.status === 200 &&
        tracker !== null &&
        h.headers['content-length'] === undefined &&
        type.startsWith('text/event-stream');
      if (spliced) {
        client.hijack();
        res.writeHead(200, { ...SSE_HEADERS, 'content-type': type });
        conn.onRead = splice;
        if (rest.length === 0 && this.o.pump && handOverAtHead()) return false;
        const more = rest.length > 0 ? splice(rest) : true;
        // A slow first token (a long prefill) still lets the client see its status soon.
        if (first && !settled)
          headersAlone = setTimeout(() => {
            headFlushed = true;
            res.flushHeaders();
          }, HEADERS_ALONE_AFTER_MS);
        return more;
      }
      conn.onRead = hold;
      const length = Number(h.headers['content-length'] ?? NaN);
      if (!tracker && length === 0) return hold(Buffer.alloc(0));
      return rest.length > 0 ? hold(rest) : true;
    };
    conn.onRead = (bytes) => {
      const all = pending ? Buffer.concat([pending, bytes]) : bytes;
      const h = parseHead(all);
      if (h === null) {
        pending = Buffer.from(all);
        return true;
      }
      if (h instanceof Error) {
        conn.socket.destroy();
        settle(new AppError('UPSTREAM_ERROR', `vllm answered with ${h.message}`));
        return false;
      }
      return onHead(h, all.subarray(h.length));
    };
    conn.onGone = (err) => {
      if (settled) return;
      if (conn.onRead === splice) return void streamBroke('the upstream connection closed');
      if (conn.onRead === hold) {
        // A body without a length ends with the connection; any other was cut off.
        const whole = !tracker && head!.headers['content-length'] === undefined && !err;
        return void hand(whole ? undefined : new Error('the upstream closed before the answer ended'));
      }
      // A kept-alive connection that ends without a byte of answer was being closed by the server
      // as the request went out (uvicorn closes one idle for 5 s; the pool gives it up after 4,
      // but a loop lagging under load can release it late): vLLM never read the request, so it
      // goes out again on a new connection instead of failing with a 502. A timeout is not that.
      if (resend && head === null && pending === null && err?.message !== TIMED_OUT && !this.closing) {
        settled = true; // this exchange is over; the next one settles the promise
        if (res.destroyed || client.gone()) p.resolve('aborted');
        else resend();
        return;
      }
      settle(this.beforeStatus(conn, err));
    };
  }

  /** Why no status arrived, worded as the undici relay words it. */
  private beforeStatus(conn: Connection, err?: Error): Error {
    if (this.closing)
      return new AppError('SERVICE_UNAVAILABLE', 'Spark Control is shutting down', {
        headers: { connection: 'close' },
      });
    if (err?.message === TIMED_OUT)
      return new AppError('TIMEOUT', 'vllm did not answer in time', { cause: err });
    if (!conn.connected) return new AppError('UPSTREAM_ERROR', 'vllm unreachable', { cause: err });
    return new AppError('UPSTREAM_ERROR', 'vllm closed the connection before answering', { cause: err });
  }

  /** Ends every connection (server shutdown); later requests go to the undici relay. */
  destroy(): void {
    this.closing = true;
    for (const handle of this.pumped) this.o.pump?.cancel(handle);
    this.pumped.clear();
    this.pool.destroy();
  }
}

/** An answer read whole, in the shape the undici relay's answering code reads. */
function heldResponse(head: ResponseHead, body: Buffer, err?: Error): UpstreamResponse {
  let readable: Readable | null = null;
  return {
    statusCode: head.status,
    headers: head.headers,
    get body() {
      if (readable) return readable;
      const r = (readable = new Readable({ read() {} }));
      if (body.length > 0) r.push(body);
      // After the bytes that did arrive are read: a cut-off body fails where undici's would.
      if (err) setImmediate(() => r.destroy(err));
      else r.push(null);
      return r;
    },
    stream(sink) {
      if (body.length > 0) sink.data(body);
      if (err) sink.error(err);
      else sink.end();
    },
    resume: () => undefined,
    abort: () => undefined,
  };
}
