// One error vocabulary. Services throw AppError with a code; the error handler turns it into
// `{error:{code,message}}` (or the OpenAI envelope under /v1). Messages are written for people:
// they never carry stack traces or raw upstream text.

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  UNKNOWN_NODE: 404,
  CONFLICT: 409,
  LOCKED: 409,
  /** Well-formed input that cannot be used (an audio sample with no speech in it). */
  UNPROCESSABLE: 422,
  /** A redaction detector failed on this text (a custom pattern out of time): nothing is returned. */
  REDACTION_FAILED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  UPSTREAM_ERROR: 502,
  NODE_UNREACHABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
