// Answers for requests Node refuses before Fastify sees them: headers (or the whole request) too
// slow, headers too large, unparseable HTTP. The URL may be unknown at that point, so the body
// carries both our fields and OpenAI's (`{"error":{"code","message","type","param"}}`), which
// every client of either API parses.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

interface ClientError extends Error {
  code?: string;
}

export function clientErrorAnswer(err: ClientError): { status: number; body: string } {
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [
          408,
          'REQUEST_TIMEOUT',
          'The request (its headers or body) did not arrive in time; the connection was closed.',
        ]
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP.'];
  return {
    status,
    body: JSON.stringify({ error: { code, message, type: 'invalid_request_error', param: null } }),
  };
}

/** Fastify's `clientErrorHandler`: the answer above, then the connection is closed. */
export function answerClientError(err: ClientError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, body } = clientErrorAnswer(err);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
