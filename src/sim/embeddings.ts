// A fake embeddings server (OpenAI's /v1/embeddings as vLLM serves it for a 768-dim Matryoshka
// model), standalone on 127.0.0.1. Vectors are deterministic and unit length: a bag of seeded
// random word vectors plus a little of the whole text's own, so texts that share words are close
// (vector search behaves plausibly) and identical texts are identical. `dimensions` truncates and
// renormalises (Matryoshka); `encoding_format: base64` is the float32 little-endian bytes.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, ToggleListener } from './http-listener.js';
import { apiError } from './vllm/openai.js';

export const EMBEDDING_MODEL = 'nomic-ai/nomic-embed-text-v1.5';
export const EMBEDDING_DIMS = 768;
const MAX_MODEL_LEN = 8192;
const MAX_BODY = 16 * 1024 * 1024;

/** Gaussian values from a sha256-seeded PRNG (mulberry32 + Box-Muller): a stable random direction. */
function seeded(key: string, dims: number): Float64Array {
  const h = createHash('sha256').update(key).digest();
  let s = h.readUInt32LE(0);
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297; // (0, 1)
  };
  const v = new Float64Array(dims);
  for (let i = 0; i < dims; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const a = 2 * Math.PI * next();
    v[i] = r * Math.cos(a);
    if (i + 1 < dims) v[i + 1] = r * Math.sin(a);
  }
  return v;
}

/** The embedding of `text`, unit length in float32, `dims` ≤ 768 leading components. */
export function embed(text: string, dims = EMBEDDING_DIMS): Float32Array {
  const sum = seeded(`text:${text}`, EMBEDDING_DIMS).map((x) => x * 0.35);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const w = seeded(`word:${word}`, EMBEDDING_DIMS);
    for (let i = 0; i < EMBEDDING_DIMS; i++) sum[i] = (sum[i] ?? 0) + (w[i] ?? 0);
  }
  const cut = sum.subarray(0, dims);
  const norm = Math.hypot(...cut) || 1;
  return Float32Array.from(cut, (x) => x / norm);
}

export const countTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function base64(v: Float32Array): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

type Reply = { status: number; body: unknown };

function embeddings(raw: string): Reply {
  let req: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new Error('Input should be a valid dictionary');
    req = v as Record<string, unknown>;
  } catch (err) {
    return apiError(400, 'BadRequestError', `JSON decode error: ${err instanceof Error ? err.message : ''}`);
  }
  const model = req.model ?? EMBEDDING_MODEL;
  if (model !== EMBEDDING_MODEL) {
    return apiError(404, 'NotFoundError', `The model \`${String(model)}\` does not exist.`);
  }
  const input = req.input;
  const isTokens = (x: unknown): x is number[] => Array.isArray(x) && x.every((n) => Number.isInteger(n));
  let texts: string[];
  if (typeof input === 'string') texts = [input];
  else if (isTokens(input) && input.length > 0) texts = [input.join(' ')];
  else if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every((x) => typeof x === 'string' || isTokens(x))
  ) {
    texts = input.map((x) => (typeof x === 'string' ? x : x.join(' ')));
  } else if (input === undefined) {
    return apiError(
      400,
      'BadRequestError',
      "[{'type': 'missing', 'loc': ('body', 'input'), 'msg': 'Field required'}]",
    );
  } else {
    return apiError(
      400,
      'BadRequestError',
      'input must be a non-empty string, array of strings or token arrays',
    );
  }
  const format = req.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return apiError(
      400,
      'BadRequestError',
      `encoding_format must be 'float' or 'base64', got '${String(format)}'`,
    );
  }
  const dims = req.dimensions ?? EMBEDDING_DIMS;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > EMBEDDING_DIMS) {
    return apiError(400, 'BadRequestError', `dimensions must be an integer from 1 to ${EMBEDDING_DIMS}`);
  }
  const counts = texts.map(countTokens);
  const tooLong = counts.find((n) => n > MAX_MODEL_LEN);
  if (tooLong !== undefined) {
    return apiError(
      400,
      'BadRequestError',
      `This model's maximum context length is ${MAX_MODEL_LEN} tokens. However, you requested ${tooLong} tokens in the input for embedding generation. Please reduce the length of the input.`,
    );
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    status: 200,
    body: {
      object: 'list',
      data: texts.map((t, index) => {
        const v = embed(t, dims);
        return { object: 'embedding', embedding: format === 'base64' ? base64(v) : Array.from(v), index };
      }),
      model: EMBEDDING_MODEL,
      usage: { prompt_tokens: total, total_tokens: total },
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const key = `${req.method} ${path}`;
  if (key === 'GET /health') return void res.writeHead(200, { 'content-length': '0' }).end();
  if (key === 'GET /v1/models') {
    const created = Math.floor(Date.now() / 1000);
    const card = { id: EMBEDDING_MODEL, object: 'model', created, owned_by: 'vllm', root: EMBEDDING_MODEL };
    return sendJson(res, 200, {
      object: 'list',
      data: [{ ...card, parent: null, max_model_len: MAX_MODEL_LEN }],
    });
  }
  if (key === 'POST /v1/embeddings') {
    const raw = await readBody(req, MAX_BODY);
    const r =
      raw === undefined
        ? apiError(413, 'BadRequestError', 'Request body too large')
        : embeddings(raw.toString());
    return sendJson(res, r.status, r.body);
  }
  const known = ['/health', '/v1/models', '/v1/embeddings'].includes(path);
  sendJson(res, known ? 405 : 404, { detail: known ? 'Method Not Allowed' : 'Not Found' });
}

/** Starts the embeddings server on an ephemeral 127.0.0.1 port; `set(false)` takes it down. */
export async function startEmbeddings(): Promise<{
  url: string;
  port: number;
  set(up: boolean): Promise<void>;
  close(): Promise<void>;
}> {
  const listener = new ToggleListener(handle);
  await listener.set(true);
  return {
    url: listener.url,
    port: listener.port,
    set: (up) => listener.set(up),
    close: () => listener.close(),
  };
}
