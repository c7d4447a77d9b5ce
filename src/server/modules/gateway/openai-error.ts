// OpenAI's error object, as the official clients parse it, and the two ways the gateway hands one
// to a client whose request was streaming: upstream errors become one SSE `error` event, so no
// client waits forever on an empty stream.

export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

/** Upstream error text is cut to this many characters: a message, not a dump. */
const MAX_MESSAGE = 2000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The OpenAI `type` a status gets when the upstream did not name one. */
export function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 400 && status < 500 ? 'invalid_request_error' : 'server_error';
}

const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);

/**
 * vLLM's error body as an OpenAI error object. Understands vLLM ≥ 0.10.1
 * (`{"error":{message,type,param,code}}`), older vLLM (`{"object":"error",message,…}`), FastAPI's
 * `{"detail":…}` and `{"error":"Unauthorized"}` (vLLM's --api-key guard); anything else (an HTML
 * page from a proxy, an empty body) becomes a generic message naming the status.
 */
export function upstreamError(status: number, text: string): OpenAiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const fallback: OpenAiError = {
    message: `vLLM answered HTTP ${status}`,
    type: typeForStatus(status),
    param: null,
    code: status,
  };
  if (!isObj(body)) return fallback;
  const e = isObj(body.error) ? body.error : body.object === 'error' ? body : null;
  if (e && typeof e.message === 'string') {
    return {
      message: clip(e.message),
      type: typeof e.type === 'string' && e.type ? e.type : fallback.type,
      param: typeof e.param === 'string' ? e.param : null,
      code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : status,
    };
  }
  if (typeof body.error === 'string') return { ...fallback, message: clip(body.error) };
  if (typeof body.detail === 'string') return { ...fallback, message: clip(body.detail) };
  return fallback;
}

/** One SSE event carrying `{"error":{…}}`; JSON never contains a raw newline, so it is one data line. */
export function sseErrorEvent(error: OpenAiError): string {
  return `event: error\ndata: ${JSON.stringify({ error })}\n\n`;
}

/** What a client sees when vLLM's stream breaks off after the first bytes were sent. */
export const STREAM_INTERRUPTED: OpenAiError = {
  message: 'vllm stream interrupted: the upstream connection closed before the response ended',
  type: 'server_error',
  param: null,
  code: 502,
};
