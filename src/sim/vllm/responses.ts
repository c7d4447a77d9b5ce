// vLLM's POST /v1/responses for a model without Harmony (serving_responses.py): a `response`
// object with one assistant `message` output item and `usage`, or — with `stream: true` — named
// SSE events (`event: <type>` + `data: <json>`, no [DONE]) in vLLM's order: response.created,
// response.in_progress, output_item.added, content_part.added, output_text.delta…,
// output_text.done, content_part.done, output_item.done, response.completed.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { CHUNKS_BEFORE_CRASH, faultError } from './faults.js';
import type { ApiResult, GenContext } from './openai.js';
import { apiError as vllmError, missingField } from './request-checks.js';
import { checkModel } from './tokenize.js';

type Json = Record<string, unknown>;

const words = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];
const countTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/** The text of the request's input: a string, or the last user message's text parts. */
function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as Json | null;
    if (!item || item.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (Array.isArray(item.content)) {
      return item.content.map((p) => String((p as Json | null)?.text ?? '')).join(' ');
    }
  }
  return '';
}

/** The fields `ResponsesResponse.from_request` copies from the request and its sampling params. */
function responseObject(req: Json, model: string, maxTokens: number, created: number, id: string) {
  return {
    id,
    created_at: created,
    incomplete_details: null,
    instructions: typeof req.instructions === 'string' ? req.instructions : null,
    metadata: req.metadata ?? null,
    model,
    object: 'response',
    output: [] as unknown[],
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    temperature: typeof req.temperature === 'number' ? req.temperature : 1.0,
    tool_choice: req.tool_choice ?? 'auto',
    tools: [],
    top_p: typeof req.top_p === 'number' ? req.top_p : 1.0,
    background: false,
    max_output_tokens: maxTokens,
    max_tool_calls: null,
    previous_response_id: null,
    prompt: null,
    reasoning: null,
    service_tier: req.service_tier ?? 'auto',
    status: 'in_progress',
    text: null,
    top_logprobs: req.top_logprobs ?? null,
    truncation: req.truncation ?? 'disabled',
    usage: null as unknown,
    user: req.user ?? null,
  };
}

export async function responses(ctx: GenContext, body: unknown, res: ServerResponse): Promise<ApiResult> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return vllmError(400, 'BadRequestError', 'Request body must be a JSON object');
  }
  if (ctx.faults.errorStatus !== null) return faultError(ctx.faults.errorStatus);
  const req = body as Json;
  if (req.input === undefined) return missingField('input');
  const wrongModel = checkModel(ctx.engine, req.model);
  if (wrongModel) return wrongModel;
  if (Array.isArray(req.tools) && req.tools.length > 0) {
    // `_make_request` raises NotImplementedError; vLLM answers f"{e} {e.__cause__}".
    return vllmError(
      400,
      'BadRequestError',
      'Tool use is not supported in Responses API without Harmony None',
    );
  }
  const model = typeof req.model === 'string' ? req.model : (ctx.engine.model ?? '');
  const asked = inputText(req.input).trim().slice(0, 160);
  const promptTokens = countTokens(JSON.stringify(req.input) + String(req.instructions ?? ''));
  const maxLen = ctx.engine.settings?.maxModelLen ?? 32768;
  const limit = typeof req.max_output_tokens === 'number' ? req.max_output_tokens : maxLen - promptTokens;
  const reply = `Hello! This is ${model} answering through the Responses API.${asked ? ` You said: "${asked}"` : ''}`;
  const parts = words(reply).slice(0, Math.max(1, limit));
  const text = parts.join('');
  const usage = {
    input_tokens: promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: parts.length,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: promptTokens + parts.length,
  };
  const id = `resp_${randomBytes(16).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const base = responseObject(req, model, limit, created, id);
  const outputText = { annotations: [], text, type: 'output_text', logprobs: null };
  const final = {
    ...base,
    status: 'completed',
    usage,
    output: [
      {
        id: `msg_${randomBytes(16).toString('hex')}`,
        content: [outputText],
        role: 'assistant',
        status: 'completed',
        type: 'message',
      },
    ],
  };
  const tokenDelay = ctx.faults.tokenDelayMs ?? 20 * ctx.speed;
  const firstDelay = 60 * ctx.speed + ctx.faults.slowFirstTokenMs;
  const started = Date.now();
  const finished = () =>
    ctx.engine.requestFinished({
      prompt: promptTokens,
      generated: parts.length,
      reason: 'stop',
      ttftS: firstDelay / 1000,
      e2eS: (Date.now() - started) / 1000,
    });
  ctx.engine.requestStarted();

  if (req.stream !== true) {
    await sleep(firstDelay + parts.length * tokenDelay);
    if (ctx.faults.crashMidStream) return crash(ctx, res, { prompt: promptTokens, generated: 0 });
    finished();
    return { status: 200, body: final };
  }

  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let sequence = 0;
  const send = (type: string, fields: Json): void => {
    res.write(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`,
    );
  };
  send('response.created', { response: base });
  send('response.in_progress', { response: base });
  await sleep(firstDelay);
  const itemId = randomUUID();
  const item = { id: itemId, type: 'message', role: 'assistant' };
  if (!closed) {
    send('response.output_item.added', {
      output_index: 0,
      item: { ...item, content: [], status: 'in_progress' },
    });
    send('response.content_part.added', {
      output_index: 0,
      item_id: itemId,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
  }
  // vLLM advances content_index once per delta (and per closing event); clients ignore it.
  let contentIndex = 1;
  let made = 0;
  for (const [i, delta] of parts.entries()) {
    if (closed) break;
    if (ctx.faults.crashMidStream && i >= CHUNKS_BEFORE_CRASH)
      return crash(ctx, res, { prompt: promptTokens, generated: made });
    made++;
    send('response.output_text.delta', {
      content_index: contentIndex++,
      output_index: 0,
      item_id: itemId,
      delta,
      logprobs: [],
    });
    await sleep(tokenDelay);
  }
  if (ctx.faults.crashMidStream && !closed) return crash(ctx, res, { prompt: promptTokens, generated: made });
  if (closed) {
    // Tokens made before the client left still count in /metrics, as in vLLM.
    ctx.engine.requestAborted({ prompt: promptTokens, generated: made });
    return 'streamed';
  }
  send('response.output_text.done', {
    output_index: 0,
    content_index: contentIndex++,
    text,
    logprobs: [],
    item_id: itemId,
  });
  const part = { text, type: 'output_text', annotations: [] };
  send('response.content_part.done', {
    item_id: itemId,
    output_index: 0,
    content_index: contentIndex,
    part,
  });
  send('response.output_item.done', {
    output_index: 0,
    item: { ...item, content: [part], status: 'completed', summary: [] },
  });
  send('response.completed', { response: final });
  res.end();
  finished();
  return 'streamed';
}

/** The engine died under the request: the connection drops, nothing more is sent. */
function crash(ctx: GenContext, res: ServerResponse, done: { prompt: number; generated: number }): ApiResult {
  ctx.engine.requestAborted(done);
  res.destroy();
  return 'streamed';
}
