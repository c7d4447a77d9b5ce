// vLLM's utility endpoints beside generation: POST /tokenize and /detokenize (any model), and the
// pooling-only /rerank, /v1/rerank, /v2/rerank, /score and /v1/score, which a generate model
// (every model the simulator serves) refuses with vLLM's 400. The "tokenizer" is one token per
// UTF-8 byte after three special ids, so a detokenize of a tokenize gives the text back exactly.
import { apiError as vllmError, missingField, unknownModel } from './request-checks.js';
import type { VllmEngine } from './engine.js';
import type { ApiResult } from './openai.js';

type Json = Record<string, unknown>;

/** <pad>, <s> (BOS, added by add_special_tokens) and </s>; byte b is token b + SPECIAL. */
const SPECIAL = 3;
const BOS = 1;

/** The POST paths this file answers (server.ts dispatches them here). */
export const UTILITY_PATHS = [
  '/tokenize',
  '/detokenize',
  '/rerank',
  '/v1/rerank',
  '/v2/rerank',
  '/score',
  '/v1/score',
];

/** Every OpenAI-server handler checks `model` first (`_check_model`): absent is fine, unknown is 404. */
export function checkModel(engine: VllmEngine, model: unknown) {
  if (model === undefined || model === null) return null;
  if (typeof model === 'string' && engine.servesName(model)) return null;
  return unknownModel(model);
}

export function encode(text: string, addSpecialTokens: boolean): number[] {
  const ids = [...Buffer.from(text, 'utf8')].map((b) => b + SPECIAL);
  return addSpecialTokens ? [BOS, ...ids] : ids;
}

/** Special and out-of-vocabulary ids decode to nothing, as with `skip_special_tokens`. */
export function decode(ids: readonly number[]): string {
  const bytes = ids.filter((id) => id >= SPECIAL && id < SPECIAL + 256).map((id) => id - SPECIAL);
  return Buffer.from(bytes).toString('utf8');
}

/** A chat as a simple template renders it: one line per message, then the assistant's turn. */
export function renderChat(messages: unknown[], addGenerationPrompt: boolean): string {
  const lines = messages.map((m) => {
    const msg = (m ?? {}) as Json;
    const content = Array.isArray(msg.content)
      ? msg.content.map((p) => String((p as Json | null)?.text ?? '')).join('')
      : String(msg.content ?? '');
    return `<|${String(msg.role ?? 'user')}|>${content}`;
  });
  return lines.join('\n') + (addGenerationPrompt ? '\n<|assistant|>' : '');
}

export function utility(engine: VllmEngine, path: string, body: unknown): ApiResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return vllmError(400, 'BadRequestError', 'Request body must be a JSON object');
  }
  const req = body as Json;
  if (path.endsWith('/rerank')) {
    return vllmError(400, 'BadRequestError', 'The model does not support Rerank (Score) API');
  }
  if (path.endsWith('/score'))
    return vllmError(400, 'BadRequestError', 'The model does not support Score API');
  const wrongModel = checkModel(engine, req.model);
  if (wrongModel) return wrongModel;
  if (path === '/detokenize') {
    if (!Array.isArray(req.tokens)) return missingField('tokens');
    if (!req.tokens.every((t) => Number.isInteger(t))) {
      return vllmError(400, 'BadRequestError', 'tokens must be a list of integers');
    }
    return { status: 200, body: { prompt: decode(req.tokens as number[]) } };
  }
  let tokens: number[];
  if (Array.isArray(req.messages)) {
    // Chat form: add_special_tokens defaults to false (the template brings its own), generation prompt on.
    const text = renderChat(req.messages, req.add_generation_prompt !== false);
    tokens = encode(text, req.add_special_tokens === true);
  } else if (typeof req.prompt === 'string') {
    tokens = encode(req.prompt, req.add_special_tokens !== false);
  } else return missingField('prompt');
  const tokenStrs = req.return_token_strs === true ? tokens.map((t) => decode([t])) : null;
  return {
    status: 200,
    body: {
      count: tokens.length,
      max_model_len: engine.settings?.maxModelLen ?? 0,
      tokens,
      token_strs: tokenStrs,
    },
  };
}

/** A request body as vLLM's JSON parsing sees it: the value, or its 400 for JSON that does not parse. */
export function parseJsonBody(raw: string): { body: unknown } | { status: number; body: unknown } {
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch (err) {
    const detail = (err instanceof Error ? err.message : 'Expecting value').replace(/'/g, '');
    return vllmError(
      400,
      'BadRequestError',
      `[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '${detail}'}}]`,
    );
  }
}
