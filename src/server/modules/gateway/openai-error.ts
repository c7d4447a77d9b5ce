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
  const detail = fastApiDetail(body.detail);
  if (detail) return { ...fallback, message: clip(detail) };
  return fallback;
}

/**
 * FastAPI's `detail`: a string, or its validation list `[{loc: ["body","x"], msg, type}]`, said as
 * "body.x: field required; …".
 */
function fastApiDetail(detail: unknown): string | null {
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return null;
  const parts = detail.filter(isObj).flatMap((d) => {
    if (typeof d.msg !== 'string') return [];
    const loc = Array.isArray(d.loc)
      ? d.loc.filter((x) => typeof x === 'string' || typeof x === 'number')
      : [];
    return [loc.length ? `${loc.join('.')}: ${d.msg}` : d.msg];
  });
  return parts.length ? parts.join('; ') : null;
}

/**
 * What a client is told about an upstream error. A 4xx carries the upstream's own message (clients
 * need "maximum context length is …"); a 5xx says only which service failed and a reference that
 * is in the log beside the upstream's text — its internals ("EngineCore encountered an issue. See
 * stack trace…") are not the client's business.
 */
export function clientFacingError(
  status: number,
  text: string,
  service: string,
  reference: string,
): OpenAiError {
  const error = upstreamError(status, text);
  if (status < 500) return service === 'vllm' ? error : { ...error, message: `${service}: ${error.message}` };
  return {
    message: `${service} failed with HTTP ${status} (reference ${reference}; the details are in Spark Control's log)`,
    type: 'server_error',
    param: null,
    code: status,
  };
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
