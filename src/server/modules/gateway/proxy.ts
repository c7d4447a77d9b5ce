// The relay to vLLM. One undici Agent keeps a bounded keep-alive pool per upstream origin. The
// client's body goes up as the Buffer it arrived in; vLLM's response comes back as the Buffers
// undici reads, handed by undici's parser straight to the writer (upstream-dispatch.ts: no Readable
// per response) and written to the client's socket as they arrive (stream-relay.ts: no parsing, no
// re-encoding, no promise per chunk), the upstream paused until `drain` when the client is
// slower. The response's `close` before it finished (client gone) aborts the upstream request,
// which frees vLLM's slot. A non-streaming answer is held whole before its status goes out, so
// one cut off upstream becomes a clear 502; an upstream error before the first byte keeps its
// status (streaming or not), and only a stream that has begun carries its error in-stream.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent, request, type FormData } from 'undici';
import { AppError } from '../../platform/http/errors.js';
import {
  BODY_INTERRUPTED,
  clientFacingError,
  clientStatus,
  errorBody,
  STREAM_INTERRUPTED,
  sseErrorEvent,
  type OpenAiError,
} from './openai-error.js';
import { pipeChunks } from './stream-relay.js';
import { dispatchPost, type UpstreamResponse } from './upstream-dispatch.js';

export interface UpstreamOptions {
  /** Headers and idle-body timeout for generation requests (a long answer can take minutes). */
  timeoutMs: number;
  /** Connections per upstream origin; requests beyond it wait in the pool's queue. */
  connections?: number;
}

export interface RelayTarget {
  url: string;
  /** The client's body, sent as is (a stream is relayed as it arrives: multipart uploads). */
  body: Buffer | Readable;
  /** The body's Content-Type; JSON unless said otherwise. */
  contentType?: string;
  /** The length of a streamed body, when the client declared it. */
  contentLength?: number | null;
  /** Names the upstream in errors (`<service> unreachable`); `vllm` unless said otherwise. */
  service?: string;
  /** The client asked for a stream (an upstream answer that is not 200 is then an error). */
  streaming: boolean;
  /**
   * Upstream statuses the route answers itself: `error` gets the upstream's body text and returns
   * the error the client gets instead (thrown before anything was sent).
   */
  intercept?: { when: (status: number) => boolean; error: (status: number, text: string) => AppError };
  /** Called (before the response ends) when the client gets an error after the headers. */
  onFailed?: () => void;
}

/**
 * The client side of a relay, whoever received the request: a Fastify route (`fastifyClient`) or
 * the gateway's fast path (fast-path.ts), which serves the streaming routes without Fastify.
 */
export interface RelayClient {
  res: ServerResponse;
  /** The client's Accept header, passed on to the upstream. */
  accept: string | undefined;
  /** The client's socket is already gone. */
  gone(): boolean;
  /** The relay answers on `res` from here on: the framework must not answer too. */
  hijack(): void;
  log: { warn(obj: object, msg: string): void };
}

export const fastifyClient = (req: FastifyRequest, reply: FastifyReply): RelayClient => ({
  res: reply.raw,
  accept: req.headers.accept,
  gone: () => req.raw.socket?.destroyed === true,
  hijack: () => {
    reply.hijack();
  },
  log: req.log,
});

/** `failed`: the client got an error instead of the answer (a 502, an in-stream error, a cut-off body). */
export type RelayOutcome = 'ok' | 'failed' | 'aborted';

/** An upstream error body is read up to this size for its message. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * A non-streaming answer is held up to this size before the client gets its status, so a body cut
 * off upstream becomes a 502 instead of a truncated 200; a bigger one (a huge embeddings batch) is
 * relayed as it arrives once it passes the mark.
 */
const MAX_HELD_BODY = 32 * 1024 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function readText(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // A body cut off while reading an error: the status alone still explains it.
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

function unreachable(err: unknown, service: string): AppError {
  const code = (err as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new AppError('TIMEOUT', `${service} did not answer in time`, { cause: err });
  // Connected, then dropped before the status line (the server died mid-request): not "unreachable".
  if (code === 'UND_ERR_SOCKET')
    return new AppError('UPSTREAM_ERROR', `${service} closed the connection before answering`, {
      cause: err,
    });
  return new AppError('UPSTREAM_ERROR', `${service} unreachable`, { cause: err });
}

export class Upstream {
  private readonly agent: Agent;
  private closing = false;

  constructor(o: UpstreamOptions) {
    this.agent = new Agent({
      // One connection per concurrent stream: a smaller pool would queue streams inside the gateway
      // (the benchmark showed 256 streams capped at 64 — vLLM itself schedules many more).
      connections: o.connections ?? 1024,
      pipelining: 1,
      // vLLM's uvicorn drops idle connections after 5 s (VLLM_HTTP_TIMEOUT_KEEP_ALIVE); releasing
      // ours first means a POST is never written onto a socket the server is closing.
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 10 * 60_000,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
      connect: { timeout: 5_000 },
    });
  }

  /** A small JSON GET (model lists); throws when the upstream is down or answers non-JSON. */
  async getJson(url: string, timeoutMs = 5_000): Promise<{ status: number; body: unknown }> {
    const res = await request(url, {
      dispatcher: this.agent,
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: JSON.parse(text) as unknown };
  }

  /**
   * A POST whose whole answer is read (a synthesized WAV); throws `<service> unreachable`. A
   * `FormData` body brings its own multipart content type (undici writes it with the boundary).
   */
  async post(
    url: string,
    body: Buffer | FormData,
    o: { contentType?: string; service: string; timeoutMs?: number },
  ): Promise<{ status: number; type: string | undefined; body: Buffer }> {
    try {
      const timeout = o.timeoutMs ?? 5 * 60_000;
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: o.contentType ? { 'content-type': o.contentType } : {},
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const data = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, type: header(res.headers, 'content-type'), body: data };
    } catch (err) {
      throw unreachable(err, o.service);
    }
  }

  /**
   * POSTs `body` to `url` and relays the answer to the client. Throws (before anything is sent)
   * only when vLLM cannot be reached; everything after that is answered on the hijacked reply.
   */
  async relay(req: FastifyRequest, reply: FastifyReply, t: RelayTarget): Promise<RelayOutcome> {
    return this.relayTo(fastifyClient(req, reply), t);
  }

  /** `relay` for any client (the fast path's too). */
  async relayTo(client: RelayClient, t: RelayTarget): Promise<RelayOutcome> {
    const res = client.res;
    // A client already gone (it left while the request was held) costs vLLM nothing.
    if (res.destroyed || client.gone()) {
      client.hijack();
      return 'aborted';
    }
    const ac = new AbortController();
    // Only a response closed before it finished means the client left; aborting after a normal end
    // would cost a DOMException (with its stack) per request for nothing.
    res.once('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let up: UpstreamResponse;
    try {
      up = await dispatchPost(this.agent, t.url, {
        headers: {
          'content-type': t.contentType ?? 'application/json',
          accept: client.accept ?? '*/*',
          ...(t.contentLength != null ? { 'content-length': String(t.contentLength) } : {}),
        },
        body: t.body,
        signal: ac.signal,
      });
    } catch (err) {
      if (ac.signal.aborted) {
        client.hijack();
        return 'aborted';
      }
      if (this.closing)
        throw new AppError('SERVICE_UNAVAILABLE', 'Spark Control is shutting down', {
          headers: { connection: 'close' },
        });
      const error = unreachable(err, t.service ?? 'vllm');
      if (!res.headersSent) throw error;
      // A loading notice already opened the stream (swap on request): the error goes in-stream.
      t.onFailed?.();
      this.end(
        res,
        sseErrorEvent({ message: error.message, type: 'server_error', param: null, code: error.code }),
      );
      return 'failed';
    }
    return this.answer(client, up, ac.signal, t);
  }

  /**
   * Answers the client from an upstream response whose status line has arrived (`signal`: the
   * client left). Also the splice relay's (splice-relay.ts) for every answer it does not splice.
   */
  async answer(
    client: RelayClient,
    up: UpstreamResponse,
    signal: AbortSignal,
    t: RelayTarget,
  ): Promise<RelayOutcome> {
    const res = client.res;
    if (t.intercept?.when(up.statusCode)) {
      throw t.intercept.error(up.statusCode, await readText(up.body, MAX_ERROR_BODY));
    }
    client.hijack();
    if (up.statusCode >= 400 || (t.streaming && up.statusCode !== 200)) {
      const text = await readText(up.body, MAX_ERROR_BODY);
      const error = this.clientError(client, up.statusCode, text, t.service ?? 'vllm');
      if (signal.aborted) return 'aborted';
      if (!res.headersSent) {
        // Nothing sent yet, streaming or not: the upstream's status and one envelope, as vLLM
        // answers — so every SDK raises its status error (and retries a 5xx).
        const status = up.statusCode >= 400 ? clientStatus(up.statusCode) : 502;
        res.writeHead(status, JSON_HEADERS);
        this.end(res, errorBody(error));
        return 'ok';
      }
      // A loading notice already opened the stream (swap on request): the error goes in-stream.
      t.onFailed?.();
      this.end(res, sseErrorEvent(error));
      return 'failed';
    }
    const type = header(up.headers, 'content-type');
    const length = header(up.headers, 'content-length');
    const sse = type?.startsWith('text/event-stream') === true;
    if (!sse && !res.headersSent) {
      return this.relayWhole(client, res, up, signal, t, {
        ...(type ? { 'content-type': type } : {}),
        ...(length ? { 'content-length': length } : {}),
      });
    }
    if (!res.headersSent) {
      res.writeHead(up.statusCode, {
        ...(sse ? SSE_HEADERS : {}),
        ...(type ? { 'content-type': type } : {}),
        ...(length && !sse ? { 'content-length': length } : {}),
      });
      // Not flushed here: pipeBody sends them with the first chunk (one write instead of two).
    }
    try {
      await pipeChunks(up, res, signal);
      this.end(res);
      return 'ok';
    } catch {
      if (signal.aborted) return 'aborted';
      t.onFailed?.();
      // Headers are out: an SSE client gets the error in-stream, then [DONE]; any other client a
      // cut-off body (its parser fails at once instead of waiting for bytes that never come).
      if (sse) this.end(res, sseErrorEvent(STREAM_INTERRUPTED));
      else res.destroy();
      return 'failed';
    }
  }

  /**
   * A non-streaming answer, held until its end (up to MAX_HELD_BODY) before the status goes out:
   * an upstream that drops mid-body is then answered 502 with a clear message.
   */
  private async relayWhole(
    client: RelayClient,
    res: ServerResponse,
    up: UpstreamResponse,
    signal: AbortSignal,
    t: RelayTarget,
    head: OutgoingHttpHeaders,
  ): Promise<RelayOutcome> {
    const held: Buffer[] = [];
    let size = 0;
    let passing = false;
    try {
      for await (const chunk of up.body as AsyncIterable<Buffer>) {
        if (!passing) {
          held.push(chunk);
          size += chunk.length;
          if (size <= MAX_HELD_BODY) continue;
          passing = true;
          res.writeHead(up.statusCode, head);
          for (const c of held.splice(0)) res.write(c);
        } else if (!res.write(chunk)) await once(res, 'drain', { signal });
      }
    } catch (err) {
      if (signal.aborted) return 'aborted';
      up.body.destroy();
      const service = t.service ?? 'vllm';
      client.log.warn({ err, service, status: up.statusCode }, 'upstream body cut off');
      if (passing) {
        // The status is out: a cut-off body (the client's parser fails at once) is all that is left.
        t.onFailed?.();
        res.destroy();
      } else {
        res.writeHead(502, JSON_HEADERS);
        this.end(res, errorBody(BODY_INTERRUPTED(service)));
      }
      return 'failed';
    }
    if (passing) this.end(res);
    else {
      res.writeHead(up.statusCode, { ...head, 'content-length': size });
      this.end(res, Buffer.concat(held, size));
    }
    return 'ok';
  }

  /** The client's view of an upstream error; a 5xx's own text goes to the log under a reference. */
  private clientError(client: RelayClient, status: number, text: string, service: string): OpenAiError {
    const reference = randomBytes(4).toString('hex');
    if (status >= 500)
      client.log.warn({ reference, service, status, upstream: text.slice(0, 2000) }, 'upstream error');
    return clientFacingError(status, text, service, reference);
  }

  /** Ends every pooled connection and in-flight relay (server shutdown). */
  async destroy(): Promise<void> {
    this.closing = true;
    await this.agent.destroy();
  }

  /**
   * Ends the client's response. While the server shuts down the connection is closed too: an
   * idle keep-alive socket would otherwise hold `server.close()` until it times out.
   */
  end(res: ServerResponse, last?: string | Buffer): void {
    const socket = res.socket;
    res.end(last ?? '', () => {
      if (this.closing) socket?.end();
    });
  }
}
