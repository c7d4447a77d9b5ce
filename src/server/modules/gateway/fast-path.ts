// The gateway's fast path: POST /v1/chat/completions and /v1/completions served straight from
// node:http's 'request' event, before Fastify routes them. A streamed answer costs the relay one
// request's worth of Fastify work (routing, four hook runs, the content-type parser's stream read,
// reply bookkeeping) on top of the bytes; this path skips that for the plain case and hands
// everything else to Fastify untouched, so every rule still has one home.
//
// It takes a request only when it can answer it as the Fastify route would: the exact path and
// method, a Host the request guard allows, a JSON Content-Type, a Content-Length body within
// gateway.max_body_mb that arrived whole with the headers (the body guard has nothing to time
// then either), no Expect, a valid API key (or none required), a JSON object body whose `model`
// and `stream` pass the route's schema, vLLM configured and no swap on request needed. The body is
// peeked one microtask after the headers (node:http has parsed the rest of the packet by then);
// when anything fails, the bytes are put back (`unshift`) and Fastify gets the request as if this
// path did not exist — 401s, 400s, 413s, 415s, 403s and swap holds are all Fastify's.
//
// What it then does as the route would: the same Upstream relay (abort on client close, errors
// keeping their status, in-stream errors), the same per-key stats, Fastify's request ids and
// access log lines, and the app's error handler's answer for an error thrown before any byte.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { openAiErrorAnswer } from '../../platform/http/error-handler.js';
import type { ApiKeys } from './auth.js';
import { peekRequest } from './body.js';
import type { RelayClient, Upstream } from './proxy.js';
import type { SpliceRelay } from './splice-relay.js';
import type { GatewayStats } from './stats.js';
import type { SwapOnRequest } from './swap-on-request.js';

/** The routes the fast path serves (fast-path.ts): the streamed ones, where per-request cost shows. */
export const FAST_PATHS = new Map([
  ['/v1/chat/completions', '/v1/chat/completions'],
  ['/v1/completions', '/v1/completions'],
]);

/**
 * Fastify's own request-id generator (a public getter its types do not list), so the fast path's
 * log lines are numbered in the same sequence as every other request's.
 */
export function fastifyRequestIds(app: FastifyInstance): (req: IncomingMessage) => string {
  const own = (app as unknown as { genReqId?: (req: IncomingMessage) => string }).genReqId;
  if (typeof own === 'function') return (req) => own(req);
  let next = 0;
  return () => `fast-${(next++).toString(36)}`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FastPathDeps {
  allowsHost(host: string | undefined): boolean;
  keys: ApiKeys;
  stats: GatewayStats;
  bodyLimit: number;
  upstream: Upstream;
  /** Streams go through it when it takes them (splice-relay.ts; SPARK_GATEWAY_SPLICE=0: never). */
  splice?: SpliceRelay;
  vllmRoot(): string | null;
  swapOnRequest?: SwapOnRequest;
  /** Keys whose requests the route treats specially (always_redact): Fastify serves them. */
  stepsAsideFor?: (name: string) => boolean;
  log: FastifyBaseLogger;
  genReqId(req: IncomingMessage): string;
  onServed?: () => void;
}

/** What the fast path reads of a body; null when the route's schema would refuse it (Fastify says why). */
export function relayedRequest(raw: Buffer): { model: string | null; stream: boolean } | null {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { model, stream } = body as Record<string, unknown>;
  if (model !== undefined && typeof model !== 'string') return null;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') return null;
  return peekRequest(body);
}

/** `application/json`, with or without parameters — what the gateway's JSON parser accepts. */
const isJson = (type: string | undefined) =>
  type !== undefined && (type === 'application/json' || type.startsWith('application/json;'));

export class FastPath {
  private closing = false;
  constructor(private readonly d: FastPathDeps) {}

  /** Puts the fast path before `server`'s own 'request' listeners (Fastify's router). */
  install(server: Server): void {
    const fallback = server.listeners('request') as Handler[];
    server.removeAllListeners('request');
    const pass: Handler = (req, res) => {
      for (const h of fallback) h.call(server, req, res);
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.closing || !this.accepts(req, pass, res)) pass(req, res);
    });
  }

  /** Shutting down: Fastify answers new requests (its 503 while closing). */
  close(): void {
    this.closing = true;
  }

  /** The checks the headers allow; true when the request is taken (it may still be passed on). */
  private accepts(req: IncomingMessage, pass: Handler, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const upstreamPath = FAST_PATHS.get(req.url ?? '');
    if (upstreamPath === undefined) return false;
    const h = req.headers;
    if (h['transfer-encoding'] !== undefined || h.expect !== undefined) return false;
    const length = Number(h['content-length']);
    if (!(length > 0 && length <= this.d.bodyLimit)) return false;
    if (!isJson(h['content-type']) || !this.d.allowsHost(h.host)) return false;
    const who = this.d.keys.check(h.authorization);
    if (!who.ok || this.d.stepsAsideFor?.(who.name)) return false;
    queueMicrotask(() => {
      if (!this.serve(req, res, length, who.name, upstreamPath)) pass(req, res);
    });
    return true;
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    length: number,
    name: string,
    upstreamPath: string,
  ): boolean {
    // The whole body is buffered (the parser's end-of-message comes a moment later, on its own).
    if (req.readableLength !== length) return false;
    const raw = req.read() as Buffer | null;
    if (raw === null) return false;
    const root = this.d.vllmRoot();
    const body = raw.length === length && root !== null ? relayedRequest(raw) : null;
    if (body === null || (body.model !== null && this.d.swapOnRequest?.needed(body.model))) {
      // Fastify reads the same bytes, and answers (or holds) as it always does.
      req.unshift(raw);
      return false;
    }
    this.d.onServed?.();
    const started = performance.now();
    const log = this.d.log.child({ reqId: this.d.genReqId(req) });
    // Fastify's access lines, built only when written: `logged` reads the peer address (a syscall).
    const logs = logsInfo(log);
    if (logs) log.info({ req: logged(req) }, 'incoming request');
    let failed = false;
    // As Fastify does: a write error on the response is the connection's (its 'close' follows and
    // records the outcome), never an uncaught 'error' event.
    res.on('error', () => undefined);
    this.d.stats.watch({
      res,
      keyName: name,
      route: upstreamPath,
      request: () => body,
      failed: () => failed,
    });
    res.once('close', () => {
      const ms = performance.now() - started;
      this.d.stats.record(name, { status: res.statusCode, ms, aborted: !res.writableFinished, failed });
      if (logs) log.info({ res, responseTime: ms }, 'request completed');
    });
    const client: RelayClient = {
      res,
      accept: req.headers.accept,
      gone: () => req.socket.destroyed,
      hijack: () => undefined,
      log,
    };
    const url = `${root}${upstreamPath}`;
    const relay = body.stream && this.d.splice?.takes(url) ? this.d.splice : this.d.upstream;
    relay
      .relayTo(client, {
        url,
        body: raw,
        streaming: body.stream,
        onFailed: () => {
          failed = true;
        },
      })
      .catch((err: unknown) => answerError(res, err, log));
    return true;
  }
}

/** Whether `log` writes info lines (pino's own check; Fastify's null logger has none and writes nothing). */
const logsInfo = (log: FastifyBaseLogger): boolean => {
  const enabled = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof enabled === 'function' && enabled.call(log, 'info');
};

/** The fields Fastify's request serializer logs. */
const logged = (req: IncomingMessage) => ({
  method: req.method,
  url: req.url,
  headers: req.headers,
  host: req.headers.host,
  ip: req.socket.remoteAddress,
  socket: req.socket,
});

/** An error thrown before any byte went out, answered as the app's error handler would. */
function answerError(res: ServerResponse, err: unknown, log: FastifyBaseLogger): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const a = openAiErrorAnswer(e);
  if (a.level === 'error') log.error({ err: e }, 'request failed');
  else log[a.level]({ code: (e as { code?: unknown }).code }, e.message);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(a.status, { ...a.headers, 'content-length': Buffer.byteLength(a.body) });
  res.end(a.body);
}
