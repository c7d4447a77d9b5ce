// The one place errors become HTTP answers. Control endpoints answer {error:{code,message}};
// /v1 answers OpenAI's envelope so the official clients parse it. Internal exceptions are
// logged with their stack and answered with a generic message — never leaked.
import { isOpenAiPath } from './request-origin.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type ErrorCode } from './errors.js';

interface Normalized {
  status: number;
  code: ErrorCode | string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  408: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

function normalize(err: FastifyError | Error): Normalized {
  if (isAppError(err)) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      details: err.details,
      headers: err.headers,
    };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    return { status: 400, code: 'VALIDATION_FAILED', message: `Invalid request: ${fe.message}` };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than this endpoint accepts.',
    };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'This endpoint does not accept that Content-Type.',
    };
  }
  if (
    fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    fe instanceof SyntaxError
  ) {
    return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) return frameworkClientError(fe, status);
  return { status: 500, code: 'INTERNAL', message: 'Internal error. The details are in the server log.' };
}

/**
 * Fastify's and its parsers' own 4xx (`FST_ERR_…`, `FST_PROTO_VIOLATION`…): said in our words and
 * codes, so a client never sees framework names, and every error has the same shape.
 */
function frameworkClientError(fe: FastifyError, status: number): Normalized {
  const known: Record<string, [string, string]> = {
    FST_ERR_BAD_URL: ['BAD_REQUEST', 'The URL is malformed (an invalid percent-escape or character).'],
    FST_ERR_MAX_PARAM_LENGTH: ['BAD_REQUEST', 'A value in the URL path is too long.'],
    FST_ERR_ASYNC_CONSTRAINT: ['BAD_REQUEST', 'The request could not be routed.'],
    FST_PROTO_VIOLATION: ['BAD_REQUEST', 'The request body uses a forbidden key (__proto__ or constructor).'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'The Content-Length does not match the body.'],
    FST_ERR_CTP_INVALID_TYPE: ['BAD_REQUEST', 'The Content-Type header is malformed.'],
    FST_ERR_CTP_EMPTY_TYPE: ['BAD_REQUEST', 'The Content-Type header is empty.'],
  };
  const hit = fe.code ? known[fe.code] : undefined;
  if (hit) return { status, code: hit[0], message: hit[1] };
  const byStatus: Record<number, string> = {
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    406: 'NOT_ACCEPTABLE',
    408: 'REQUEST_TIMEOUT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'TOO_MANY_REQUESTS',
  };
  // Anything else Fastify says about a bad request: its message describes the request, minus
  // the framework's name for it.
  const message = fe.message.replace(/^FST_\w+:?\s*/, '') || 'The request is malformed.';
  return { status, code: byStatus[status] ?? 'BAD_REQUEST', message };
}

/** Fastify's `frameworkErrors` option: bad URLs and over-long path values, answered in our shape. */
export function answerFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const n = normalize(err);
  req.log.debug({ code: err.code }, n.message);
  // Fastify calls this hook synchronously and ignores its result; the reply (a thenable) is sent.
  sendError(req, reply, n);
}

/** The request field an error is about, when the thrower named one (`details: {param}`). */
const openAiParam = (details: unknown): string | null => {
  const p = (details as { param?: unknown } | undefined)?.param;
  return typeof p === 'string' ? p : null;
};

export function sendError(req: FastifyRequest, reply: FastifyReply, n: Normalized) {
  if (n.headers) reply.headers(n.headers);
  reply.code(n.status).type('application/json; charset=utf-8');
  if (isOpenAiPath(req.url)) {
    return reply.send({
      error: {
        message: n.message,
        type: OPENAI_TYPES[n.status] ?? 'server_error',
        param: openAiParam(n.details),
        code: n.code,
      },
    });
  }
  return reply.send({
    error: { code: n.code, message: n.message, ...(n.details === undefined ? {} : { details: n.details }) },
  });
}

/**
 * An error as the handler below answers it under /v1 — status, headers, OpenAI's envelope — and
 * the level it is logged at, for the gateway's fast path, which answers without Fastify.
 */
export function openAiErrorAnswer(err: Error): {
  status: number;
  headers: Record<string, string>;
  body: string;
  level: 'error' | 'warn' | 'debug';
} {
  const n = normalize(err);
  const level = n.status >= 500 && !isAppError(err) ? 'error' : n.status >= 500 ? 'warn' : 'debug';
  const body = JSON.stringify({
    error: {
      message: n.message,
      type: OPENAI_TYPES[n.status] ?? 'server_error',
      param: openAiParam(n.details),
      code: n.code,
    },
  });
  return {
    status: n.status,
    headers: { ...n.headers, 'content-type': 'application/json; charset=utf-8' },
    body,
    level,
  };
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const n = normalize(err);
    // Coded 5xx (an upstream down, a node unreachable) are expected conditions, not bugs.
    if (n.status >= 500 && !isAppError(err)) req.log.error({ err }, 'request failed');
    else if (n.status >= 500) req.log.warn({ code: n.code }, n.message);
    else req.log.debug({ code: n.code }, n.message);
    return sendError(req, reply, n);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, {
      status: 404,
      code: 'NOT_FOUND',
      message: `No route ${req.method} ${req.url.split('?')[0]}`,
    }),
  );
}
