// The one place errors become HTTP answers. Control endpoints answer {error:{code,message}};
// /v1 answers OpenAI's envelope so the official clients parse it. Internal exceptions are
// logged with their stack and answered with a generic message — never leaked.
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
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx messages describe the request, not our internals.
    return { status, code: fe.code ?? 'BAD_REQUEST', message: fe.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal error. The details are in the server log.' };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, n: Normalized) {
  if (n.headers) reply.headers(n.headers);
  reply.code(n.status).type('application/json; charset=utf-8');
  if (req.url.startsWith('/v1/') || req.url === '/v1') {
    return reply.send({
      error: {
        message: n.message,
        type: OPENAI_TYPES[n.status] ?? 'server_error',
        param: null,
        code: n.code,
      },
    });
  }
  return reply.send({
    error: { code: n.code, message: n.message, ...(n.details === undefined ? {} : { details: n.details }) },
  });
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
