// Fault switches for the fake vLLM's generation endpoints (tests, benchmarks, the chaos panel):
// a crash mid-stream, a forced error status, a slow first token and the inter-token delay.
import { STATUS_CODES } from 'node:http';

export interface VllmFaults {
  /** Streams die after a few chunks (socket destroyed, no [DONE]); non-streaming requests get no answer. */
  crashMidStream: boolean;
  /** Every chat/completions request answers this status with vLLM's error envelope. */
  errorStatus: number | null;
  /** Extra wait before the first chunk (ms, not scaled by speed). */
  slowFirstTokenMs: number;
  /** Delay between tokens (ms, not scaled); null = the default 20 ms × speed. */
  tokenDelayMs: number | null;
  /**
   * The engine core died but the API server process is still up (the window before vLLM's
   * shutdown, or a wedged engine): /health answers 503, generation 500 EngineDeadError's message.
   */
  engineDead: boolean;
}

export const newVllmFaults = (): VllmFaults => ({
  crashMidStream: false,
  errorStatus: null,
  slowFirstTokenMs: 0,
  tokenDelayMs: null,
  engineDead: false,
});

/** Content chunks a crashing stream still delivers. */
export const CHUNKS_BEFORE_CRASH = 3;

/** vLLM's error type names (the exception class it maps each status to). */
const TYPES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'Unauthorized',
  404: 'NotFoundError',
  408: 'RequestTimeoutError',
  413: 'BadRequestError',
  422: 'BadRequestError',
  429: 'TooManyRequestsError',
  500: 'InternalServerError',
  501: 'NotImplementedError',
  503: 'ServiceUnavailableError',
};

/** The envelope the errorStatus fault answers with. 500 is what a dead engine core says. */
export function faultError(status: number): { status: number; body: unknown } {
  const message =
    status === 500
      ? 'EngineCore encountered an issue. See stack trace (above) for the root cause.'
      : (STATUS_CODES[status] ?? 'Error');
  const type = TYPES[status] ?? `${(STATUS_CODES[status] ?? 'Unknown').replace(/[^A-Za-z]/g, '')}Error`;
  return { status, body: { error: { message, type, param: null, code: status } } };
}

/** A valid errorStatus value: an HTTP error status (400–599) or null (off). */
export const validErrorStatus = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599);
