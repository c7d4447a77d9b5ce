// vLLM's OpenAI-compatible generation endpoints: /v1/chat/completions and /v1/completions,
// non-streaming and SSE streaming (chat-stream.ts), with vLLM's validation, chunk, usage and error
// shapes. The text is a deterministic canned reply; tools, structured output, n, logprobs and
// reasoning follow vLLM's protocol (request-checks.ts, output.ts, logprobs.ts).
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { streamRun, type Run } from './chat-stream.js';
import type { VllmEngine } from './engine.js';
import { faultError, type VllmFaults } from './faults.js';
import { isReasoningModel } from './model-facts.js';
import { fullResponse } from './completion-body.js';
import { lastUserText, planChoice } from './output.js';
import {
  apiError,
  type ApiError,
  chatValidators,
  completionValidators,
  toolFlagsCheck,
  missingField,
  unknownModel,
} from './request-checks.js';

export { apiError } from './request-checks.js';
export type ApiResult = ApiError | 'streamed';

type Json = Record<string, unknown>;

const countPrompt = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export interface GenContext {
  engine: VllmEngine;
  speed: number;
  faults: VllmFaults;
}

/** What the model thinks about before answering (only reasoning models, or with a reasoning parser). */
function thinkingFor(ctx: GenContext, req: Json, asked: string): string | null {
  const s = ctx.engine.settings;
  if (!s?.reasoningParser && !isReasoningModel(s?.model ?? '')) return null;
  const kwargs = req.chat_template_kwargs as Json | undefined;
  if (kwargs?.enable_thinking === false || kwargs?.thinking === false) return null;
  return `The user ${asked ? `wrote "${asked.slice(0, 60)}"` : 'sent a message'}. A short, friendly answer will do.`;
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
  if (ctx.faults.engineDead) return faultError(500);
  const req = body as Json;
  // Pydantic's validators run before the handler: a bad request is a 400 even for a wrong model.
  if (kind === 'chat' && !Array.isArray(req.messages)) return missingField('messages');
  if (kind === 'completion' && req.prompt === undefined) return missingField('prompt');
  const invalid = kind === 'chat' ? chatValidators(req) : completionValidators(req);
  if (invalid) return invalid;
  // OpenAIServing._check_model (vllm/entrypoints/openai/engine/serving.py): 404 with param "model".
  const wanted = typeof req.model === 'string' ? req.model : undefined;
  const served = wanted !== undefined && ctx.engine.servesName(wanted) ? wanted : (ctx.engine.model ?? '');
  if (req.model !== undefined && req.model !== null && req.model !== served) {
    return unknownModel(req.model);
  }
  const settings = ctx.engine.settings;
  if (kind === 'chat') {
    const flags = toolFlagsCheck(req, settings);
    if (flags) return flags;
  }

  let promptText: string;
  let reply: string;
  let thinking: string | null = null;
  if (kind === 'chat') {
    promptText = JSON.stringify(req.messages) + (req.tools ? JSON.stringify(req.tools) : '');
    const asked = lastUserText(req.messages as unknown[])
      .trim()
      .slice(0, 160);
    reply = `Hello! This is ${served} running on a simulated DGX Spark.${asked ? ` You said: "${asked}"` : ''}`;
    thinking = thinkingFor(ctx, req, asked);
  } else {
    promptText = String(req.prompt);
    reply = ' and that is how the simulated Spark continues your prompt, one token at a time.';
  }
  const limitParam = req.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const limitValue = req.max_completion_tokens ?? req.max_tokens;
  const maxLen = settings?.maxModelLen ?? Infinity;
  const promptTokens = countPrompt(promptText);
  const hasLimit = limitValue !== undefined && limitValue !== null;
  if (hasLimit) {
    const n = Number(limitValue);
    if (!Number.isInteger(n) || n < 1) {
      return apiError(400, 'BadRequestError', `${limitParam} must be at least 1, got ${String(limitValue)}.`);
    }
    if (n > maxLen - promptTokens) {
      return apiError(
        400,
        'BadRequestError',
        `'max_tokens' or 'max_completion_tokens' is too large: ${n}. This model's maximum context length is ${maxLen} tokens and your request has ${promptTokens} input tokens (${n} > ${maxLen} - ${promptTokens}).`,
        'max_tokens',
      );
    }
  }
  const n = typeof req.n === 'number' ? req.n : 1;
  const limit = hasLimit ? Number(limitValue) : undefined;
  const plans = Array.from({ length: n }, () => planChoice({ kind, req, settings, reply, thinking, limit }));
  const generated = plans.reduce((sum, p) => sum + p.pieces.length, 0);
  const usage = {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + generated,
    completion_tokens: generated,
  };
  const run: Run = {
    kind,
    id: `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomBytes(16).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    model: served,
    plans,
    logprobs: logprobsCount(kind, req),
    includeReasoning: req.include_reasoning !== false,
    usage,
    includeUsage: (req.stream_options as Json | undefined)?.include_usage === true,
  };
  const tokenDelay = ctx.faults.tokenDelayMs ?? 20 * ctx.speed;
  const firstDelay = 60 * ctx.speed + ctx.faults.slowFirstTokenMs;
  const started = Date.now();
  const reason = plans[0]?.finish ?? 'stop';
  ctx.engine.requestStarted();

  if (req.stream !== true) {
    const steps = Math.max(...plans.map((p) => p.pieces.length));
    const total = firstDelay + steps * tokenDelay;
    // vLLM aborts a request whose client went away; the tokens made so far still count.
    const gone = await closedWithin(res, total);
    if (gone) {
      const made = Math.min(steps, Math.max(0, Math.floor((Date.now() - started - firstDelay) / tokenDelay)));
      ctx.engine.requestAborted({ prompt: promptTokens, generated: made * n });
      return 'streamed';
    }
    if (ctx.faults.crashMidStream) {
      ctx.engine.requestAborted({ prompt: promptTokens, generated: 0 });
      res.destroy();
      return 'streamed';
    }
    const ttft = firstDelay;
    ctx.engine.requestFinished({
      prompt: promptTokens,
      generated,
      reason,
      ttftS: ttft / 1000,
      e2eS: (Date.now() - started) / 1000,
    });
    return { status: 200, body: fullResponse(run) };
  }

  const end = await streamRun(
    run,
    res,
    { firstDelay, tokenDelay, crashMidStream: () => ctx.faults.crashMidStream },
    started,
  );
  if (end.outcome === 'done') {
    ctx.engine.requestFinished({
      prompt: promptTokens,
      generated,
      reason,
      ttftS: end.ttftMs / 1000,
      e2eS: (Date.now() - started) / 1000,
    });
  } else {
    ctx.engine.requestAborted({ prompt: promptTokens, generated: end.tokens });
    if (end.outcome === 'crashed') res.destroy(); // the engine died under the request: no more bytes
  }
  return 'streamed';
}

/** Top alternatives per token, or null when the request asked for no logprobs. */
function logprobsCount(kind: 'chat' | 'completion', req: Json): number | null {
  if (kind === 'completion') return typeof req.logprobs === 'number' ? req.logprobs : null;
  if (req.logprobs !== true) return null;
  return typeof req.top_logprobs === 'number' ? Math.max(0, req.top_logprobs) : 0;
}

/** Resolves true as soon as the client disconnects, false once `ms` have passed. */
async function closedWithin(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return true;
  let onClose: () => void = () => {};
  const closed = new Promise<boolean>((resolve) => {
    onClose = () => resolve(true);
    res.once('close', onClose);
  });
  const result = await Promise.race([closed, sleep(ms).then(() => false)]);
  res.off('close', onClose);
  return result;
}
