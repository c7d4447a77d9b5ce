// The server's logger. Secrets must never reach the log, whatever a future log call passes in:
// known secret fields are redacted by path, and request URLs lose the values of query parameters
// that carry credentials (a client sending `?api_key=…` must not find its key in the log).
import { pino, type DestinationStream, type Logger } from 'pino';

/** Query parameters whose values are credentials. */
const SECRET_QUERY_KEY = /^(?:api[_-]?key|key|token|access[_-]?token|auth|password|secret|session)$/i;

export const REDACTED = '[redacted]';

/** The URL with the values of credential-bearing query parameters replaced; malformed parts kept. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replaceAll('+', ' '));
      } catch {
        // A malformed escape: judge the key as written.
      }
      return eq >= 0 && SECRET_QUERY_KEY.test(key.trim()) ? `${rawKey}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with the URL redacted. */
export function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Paths pino blanks out in every log line (headers are never logged by default; defence in depth). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  '*.ngc_api_key',
  '*.hf_token',
  '*.qdrant_api_key',
  '*.apiKey',
  'headers["api-key"]',
  '*.headers["api-key"]',
  '*.privateKey',
  '*.api_keys',
  '*.password',
  '*.admin_password',
  '*.token',
  'config.secrets',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { req: serializeRequest },
    },
    destination,
  );
}
