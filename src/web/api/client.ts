// Typed fetch helper. Non-2xx answers throw an ApiError carrying the server's own message
// (`{error:{code,message}}`), so components can show it as-is.
import type { ApiErrorBody } from '../../common/api.js';
import { localizeTimes } from '../lib/time.js';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The server's `error.details`, when it sent any (e.g. a swap refused for missing weights). */
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as JSON. Leave undefined for a bodyless request (no Content-Type is sent then). */
  body?: unknown;
  signal?: AbortSignal;
}

export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body, signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the Spark Control server.');
  }
  const data = await readJson(res);
  if (!res.ok) {
    // The server says moments in ISO 8601 (UTC); the owner reads them in local time.
    if (isErrorBody(data))
      throw new ApiError(
        res.status,
        data.error.code,
        localizeTimes(data.error.message, Date.now()),
        data.error.details,
      );
    throw new ApiError(res.status, 'HTTP_' + res.status, `Request failed (HTTP ${res.status}).`);
  }
  if (data === undefined)
    throw new ApiError(res.status, 'BAD_JSON', 'The server sent a response that is not JSON.');
  return data as T;
}

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
