// vLLM's OpenAI-compatible generation endpoints: /v1/chat/completions and /v1/completions,
// non-streaming and SSE streaming, with vLLM's chunk, usage and error shapes. The text is a
// deterministic canned reply; what matters to the control plane is the protocol, not the prose.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import type { VllmEngine } from './engine.js';
import { CHUNKS_BEFORE_CRASH, faultError, type VllmFaults } from './faults.js';

export type ApiResult = { status: number; body: unknown } | 'streamed';

export function apiError(status: number, type: string, message: string): { status: number; body: unknown } {
  return { status, body: { error: { message, type, param: null, code: status } } };
}

/** pydantic's validation message, as vLLM puts it into a 400 BadRequestError. */
const missing = (field: string): { status: number; body: unknown } =>
  apiError(
    400,
    'BadRequestError',
    `[{'type': 'missing', 'loc': ('body', '${field}'), 'msg': 'Field required', 'input': {}}]`,
  );

type Json = Record<string, unknown>;

const tokens = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];
/** What the model "says" once its canned reply is used up and max_tokens asks for more. */
const FILLER = tokens(' It keeps generating, one token at a time, until it reaches max_tokens.');
const countPrompt = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Json | null;
    if (m && m.role === 'user') {
      if (typeof m.content === 'string') return m.content;
      if (Array.isArray(m.content)) {
        return m.content
          .map((p) => (typeof (p as Json)?.text === 'string' ? (p as Json).text : ''))
          .join(' ');
      }
    }
  }
  return '';
}

export interface GenContext {
  engine: VllmEngine;
  speed: number;
  faults: VllmFaults;
}

/** Exactly `n` tokens: the reply, then filler (one content chunk each when streamed). */
function exactly(reply: string[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => reply[i] ?? FILLER[(i - reply.length) % FILLER.length] ?? '');
}

export async function generate(
  ctx: GenContext,
  kind: 'chat' | 'completion',
  body: unknown,
  res: ServerResponse,
): Promise<ApiResult> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return apiError(400, 'BadRequestError', 'Request body must be a JSON object');
  }
  if (ctx.faults.errorStatus !== null) return faultError(ctx.faults.errorStatus);
  const req = body as Json;
  const wanted = typeof req.model === 'string' ? req.model : undefined;
  const served = wanted !== undefined && ctx.engine.servesName(wanted) ? wanted : (ctx.engine.model ?? '');
  if (req.model !== undefined && req.model !== null && req.model !== served) {
    return apiError(404, 'NotFoundError', `The model \`${String(req.model)}\` does not exist.`);
  }
  let promptText: string;
  let reply: string;
  if (kind === 'chat') {
    if (!Array.isArray(req.messages)) return missing('messages');
    promptText = JSON.stringify(req.messages);
    const asked = lastUserText(req.messages).trim().slice(0, 160);
    reply = `Hello! This is ${served} running on a simulated DGX Spark.${asked ? ` You said: "${asked}"` : ''}`;
  } else {
    if (req.prompt === undefined) return missing('prompt');
    promptText = String(req.prompt);
    reply = ' and that is how the simulated Spark continues your prompt, one token at a time.';
  }
  const limitParam = req.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const limitValue = req.max_completion_tokens ?? req.max_tokens;
  const maxLen = ctx.engine.settings?.maxModelLen ?? Infinity;
  const promptTokens = countPrompt(promptText);
  if (limitValue !== undefined && limitValue !== null) {
    const n = Number(limitValue);
    if (!Number.isInteger(n) || n < 1) {
      return apiError(400, 'BadRequestError', `${limitParam} must be at least 1, got ${String(limitValue)}.`);
    }
    if (n > maxLen - promptTokens) {
      return apiError(
        400,
        'BadRequestError',
        `'max_tokens' or 'max_completion_tokens' is too large: ${n}. This model's maximum context length is ${maxLen} tokens and your request has ${promptTokens} input tokens (${n} > ${maxLen} - ${promptTokens}).`,
      );
    }
  }
  // With max_tokens the fake generates exactly that many tokens (benchmarks count on it).
  const hasLimit = limitValue !== undefined && limitValue !== null;
  const parts = hasLimit ? exactly(tokens(reply), Number(limitValue)) : tokens(reply);
  const reason = hasLimit ? 'length' : 'stop';
  const tokenDelay = ctx.faults.tokenDelayMs ?? 20 * ctx.speed;
  const firstDelay = 60 * ctx.speed + ctx.faults.slowFirstTokenMs;
  const usage = {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + parts.length,
    completion_tokens: parts.length,
  };
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomBytes(16).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const started = Date.now();
  const done = (ttft: number): void =>
    ctx.engine.requestFinished({
      prompt: usage.prompt_tokens,
      generated: parts.length,
      reason,
      ttftS: ttft / 1000,
      e2eS: (Date.now() - started) / 1000,
    });
  ctx.engine.requestStarted();

  if (req.stream !== true) {
    await sleep(firstDelay + parts.length * tokenDelay);
    if (ctx.faults.crashMidStream) return crash(ctx, res);
    done(Date.now() - started);
    const text = parts.join('');
    const choice =
      kind === 'chat'
        ? {
            index: 0,
            message: {
              role: 'assistant',
              content: text,
              refusal: null,
              tool_calls: [],
              reasoning_content: null,
            },
            logprobs: null,
            finish_reason: reason,
            stop_reason: null,
          }
        : { index: 0, text, logprobs: null, finish_reason: reason, stop_reason: null, prompt_logprobs: null };
    const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
    return {
      status: 200,
      body: {
        id,
        object,
        created,
        model: served,
        choices: [choice],
        usage: { ...usage, prompt_tokens_details: null },
      },
    };
  }

  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders(); // vLLM's StreamingResponse sends the headers before the first token
  const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const send = (choices: unknown[], extra: Json = {}): void => {
    res.write(`data: ${JSON.stringify({ id, object, created, model: served, choices, ...extra })}\n\n`);
  };
  const choice = (delta: string, finish: string | null): Json =>
    kind === 'chat'
      ? {
          index: 0,
          delta: { content: delta },
          logprobs: null,
          finish_reason: finish,
          ...(finish ? { stop_reason: null } : {}),
        }
      : { index: 0, text: delta, logprobs: null, finish_reason: finish, stop_reason: null };
  await sleep(firstDelay);
  const ttft = Date.now() - started;
  if (kind === 'chat' && !closed) {
    send([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  }
  for (const [i, part] of parts.entries()) {
    if (closed) break;
    if (ctx.faults.crashMidStream && i >= CHUNKS_BEFORE_CRASH) return crash(ctx, res);
    send([choice(part, null)]);
    await sleep(tokenDelay);
  }
  if (ctx.faults.crashMidStream && !closed) return crash(ctx, res);
  if (closed) {
    ctx.engine.requestAborted();
    return 'streamed';
  }
  send([choice('', reason)]);
  const opts = req.stream_options as Json | undefined;
  if (opts?.include_usage === true) send([], { usage });
  res.end('data: [DONE]\n\n');
  done(ttft);
  return 'streamed';
}

/** The engine process died under the request: the connection drops, nothing more is sent. */
function crash(ctx: GenContext, res: ServerResponse): ApiResult {
  ctx.engine.requestAborted();
  res.destroy();
  return 'streamed';
}
