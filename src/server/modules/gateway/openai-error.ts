// OpenAI's error object, as the official clients parse it. An error is answered with its HTTP status
// and `{"error":{…}}` whenever nothing was sent yet, streaming or not (what vLLM does); only once a
// stream has begun does it travel in the stream, framed as vLLM frames it: `data: {"error":{…}}`
// then `data: [DONE]`. Upstream bodies of every shape (vLLM's, FastAPI's `{"detail":…}`, HTML from
// a proxy) become that one envelope, with OpenAI's `type` names and a string-or-null `code`.

export interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
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

/**
 * The status a client gets for an upstream status: FastAPI's 422 (a request that failed validation)
 * is OpenAI's — and vLLM's own — 400.
 */
export const clientStatus = (status: number): number => (status === 422 ? 400 : status);

/** OpenAI's types are snake_case (`invalid_request_error`); vLLM's are class names (`NotFoundError`). */
const OPENAI_TYPE = /^[a-z]+(_[a-z]+)*$/;

const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);

/**
 * vLLM's error body as an OpenAI error object. Understands vLLM ≥ 0.10.1
 * (`{"error":{message,type,param,code}}`), older vLLM (`{"object":"error",message,…}`), FastAPI's
 * `{"detail":…}` and `{"error":"Unauthorized"}` (vLLM's --api-key guard); anything else (an HTML
 * page from a proxy, an empty body) becomes a generic message naming the status.
 */
export function upstreamError(status: number, text: string, service = 'vLLM'): OpenAiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const fallback: OpenAiError = {
    message: `${service} answered HTTP ${status}`,
    type: typeForStatus(clientStatus(status)),
    param: null,
    code: null,
  };
  if (!isObj(body)) return fallback;
  const e = isObj(body.error) ? body.error : body.object === 'error' ? body : null;
  if (e && typeof e.message === 'string') {
    const param = typeof e.param === 'string' ? e.param : null;
    return {
      message: clip(e.message),
      type: typeof e.type === 'string' && OPENAI_TYPE.test(e.type) ? e.type : fallback.type,
      param,
      // vLLM's code is the status again (a number); OpenAI's is a string naming the error.
      code:
        typeof e.code === 'string' && e.code
          ? e.code
          : status === 404 && param === 'model'
            ? 'model_not_found'
            : null,
    };
  }
  if (typeof body.error === 'string') return { ...fallback, message: clip(body.error) };
  const detail = fastApiDetail(body.detail);
  if (detail) return { ...fallback, message: clip(detail.message), param: detail.param };
  return fallback;
}

/**
 * FastAPI's `detail`: a string, or its validation list `[{loc: ["body","x"], msg, type}]`, said as
 * "body.x: field required; …"; the first field named is the `param`.
 */
function fastApiDetail(detail: unknown): { message: string; param: string | null } | null {
  if (typeof detail === 'string') return { message: detail, param: null };
  if (!Array.isArray(detail)) return null;
  let param: string | null = null;
  const parts = detail.filter(isObj).flatMap((d) => {
    if (typeof d.msg !== 'string') return [];
    const loc = Array.isArray(d.loc)
      ? d.loc.filter((x) => typeof x === 'string' || typeof x === 'number')
      : [];
    const field = loc.length > 1 ? loc.at(-1) : undefined;
    if (param === null && typeof field === 'string') param = field;
    return [loc.length ? `${loc.join('.')}: ${d.msg}` : d.msg];
  });
  return parts.length ? { message: parts.join('; '), param } : null;
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
  const error = upstreamError(status, text, service === 'vllm' ? 'vLLM' : service);
  if (status < 500) {
    const named = service === 'vllm' || error.message.startsWith(`${service} answered`);
    return named ? error : { ...error, message: `${service}: ${error.message}` };
  }
  return {
    message: `${service} failed with HTTP ${status} (reference ${reference}; the details are in Spark Control's log)`,
    type: 'server_error',
    param: null,
    code: null,
  };
}

/** The JSON body of an error answered with its status. */
export const errorBody = (error: OpenAiError): string => JSON.stringify({ error });

/**
 * An error inside a stream that has begun, as vLLM sends it: one `data:` line with the envelope
 * (JSON never holds a raw newline), then `[DONE]` so every client's loop ends.
 */
export function sseErrorEvent(error: OpenAiError): string {
  return `data: ${errorBody(error)}\n\ndata: [DONE]\n\n`;
}

/** What a client sees when vLLM's stream breaks off after the first bytes were sent. */
export const STREAM_INTERRUPTED: OpenAiError = {
  message: 'vllm stream interrupted: the upstream connection closed before the response ended',
  type: 'server_error',
  param: null,
  code: 'stream_interrupted',
};

/** What a client of a non-streaming request sees when the upstream's body breaks off. */
export const BODY_INTERRUPTED = (service: string): OpenAiError => ({
  message: `${service} closed the connection before its response was complete; nothing was returned`,
  type: 'server_error',
  param: null,
  code: 'upstream_interrupted',
});
