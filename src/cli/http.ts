// The CLI's one way to talk to the server: JSON in, JSON out, every failure turned into a
// CliError with the exit code a script can branch on and the server's own message.
import { AUTH_HINT, CliError, EXIT, exitCodeForStatus } from './exit-codes.js';

export interface ClientOptions {
  url: string;
  token?: string;
  /** Per request; a control-plane answer never takes this long unless something is wrong. */
  timeoutMs?: number;
  /** Ctrl-C: every request and stream stops. */
  signal?: AbortSignal;
}

/** Aborted by Ctrl-C, not by a timeout: the caller decides what that means (end a stream, stop waiting). */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** Characters a header value may carry; anything else would make fetch throw with the value in its message. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** Checks and normalizes `--url`: an http(s) origin (a path prefix is kept, credentials refused). */
export function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(EXIT.USAGE, `--url must be an http(s) URL like http://127.0.0.1:9999`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(EXIT.USAGE, `--url must start with http:// or https://`);
  if (url.username || url.password)
    throw new CliError(EXIT.USAGE, '--url must not carry credentials; use --token or SPARK_CONTROL_TOKEN');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function checkToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (!TOKEN_CHARS.test(token))
    throw new CliError(
      EXIT.USAGE,
      'The token contains spaces or characters that cannot be sent in a header.',
    );
  return token;
}

function errorMessage(body: unknown): string | null {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string')
      return (e as { message: string }).message;
  }
  return null;
}

/** Why a connection failed, without echoing request details: `ECONNREFUSED`, `timed out`, … */
function networkReason(e: unknown): string {
  if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return 'no answer in time';
  const cause =
    e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

export class ApiClient {
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(o: ClientOptions) {
    this.base = parseBaseUrl(o.url);
    this.token = checkToken(o.token);
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.signal = o.signal;
  }

  get origin(): string {
    return this.base;
  }

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const res = await this.send(method, path, body, timeout, 'application/json');
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw this.unreachable(e);
    }
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      if (res.ok) throw new CliError(EXIT.FAILED, `${method} ${path}: the answer is not JSON`);
    }
    if (res.ok) return parsed as T;
    throw this.refusal(method, path, res.status, parsed);
  }

  /**
   * Opens a server-sent event stream; resolves once the server answered 200 (errors are thrown like
   * request()'s). Only the wait for that answer is timed: a stream may stay quiet for hours.
   * `stop` (or Ctrl-C) ends the stream: its reads then fail with an AbortError.
   */
  async stream(path: string, stop?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const connect = new AbortController();
    const timer = setTimeout(
      () => connect.abort(new DOMException('timed out', 'TimeoutError')),
      this.timeoutMs,
    );
    const limit = stop ? AbortSignal.any([connect.signal, stop]) : connect.signal;
    let res: Response;
    try {
      res = await this.send('GET', path, undefined, limit, 'text/event-stream');
    } finally {
      clearTimeout(timer);
    }
    if (res.ok && res.body) return res.body;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(await res.text());
    } catch {
      // Not the JSON envelope: the status alone says what happened.
    }
    throw this.refusal('GET', path, res.status, parsed);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    limit: AbortSignal,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.signal ? AbortSignal.any([limit, this.signal]) : limit,
      });
    } catch (e) {
      throw this.unreachable(e);
    }
  }

  private unreachable(e: unknown): Error {
    if (this.signal?.aborted) return new Interrupted();
    return new CliError(EXIT.UNREACHABLE, `Cannot reach ${this.base}: ${networkReason(e)}`);
  }

  private refusal(method: string, path: string, status: number, parsed: unknown): CliError {
    const message = errorMessage(parsed) ?? `${method} ${path} answered ${status}`;
    const code = exitCodeForStatus(status);
    if (code === EXIT.UNAUTHORIZED) {
      const why = this.token
        ? 'admin auth is on: the token was not accepted (check --token or SPARK_CONTROL_TOKEN)'
        : AUTH_HINT;
      return new CliError(code, `${message}\n${why}`);
    }
    return new CliError(code, message);
  }
}
