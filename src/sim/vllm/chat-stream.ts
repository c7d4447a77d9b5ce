// SSE streaming for /v1/chat/completions and /v1/completions, chunk for chunk as vLLM sends them
// (vllm/entrypoints/openai/chat_completion/serving.py `chat_completion_stream_generator`,
// completion/serving.py `completion_stream_generator`):
// - chat: one role chunk per choice (`{"role":"assistant","content":""}`), then one chunk per token
//   and choice, interleaved by index like the engine's steps; `reasoning` deltas for thinking,
//   `tool_calls` deltas for a call (first `{index,id,type,function:{name}}`, then
//   `{index,function:{arguments}}` fragments);
// - the finish reason (and `stop_reason: null`) rides the chunk carrying the choice's last token —
//   no extra empty chunk;
// - `stream_options.include_usage` adds a `choices: []` chunk with the summed usage; then [DONE].
import type { ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { CHUNKS_BEFORE_CRASH } from './faults.js';
import { chatLogprobs, completionLogprobs } from './logprobs.js';
import type { ChoicePlan, Piece } from './output.js';

type Json = Record<string, unknown>;

export interface Run {
  kind: 'chat' | 'completion';
  id: string;
  created: number;
  model: string;
  plans: ChoicePlan[];
  /** Top alternatives per token; null: no logprobs asked. */
  logprobs: number | null;
  includeReasoning: boolean;
  usage: { prompt_tokens: number; total_tokens: number; completion_tokens: number };
  includeUsage: boolean;
}

export interface StreamTiming {
  firstDelay: number;
  tokenDelay: number;
  crashMidStream: () => boolean;
}

export type StreamEnd = { outcome: 'done' | 'closed' | 'crashed'; ttftMs: number; tokens: number };

function chatDelta(piece: Piece, plan: ChoicePlan, run: Run): Json | null {
  switch (piece.kind) {
    case 'reasoning':
      return run.includeReasoning ? { reasoning: piece.text } : null;
    case 'content':
      return { content: piece.text };
    case 'name':
      return {
        tool_calls: [{ index: 0, id: plan.tool?.id, type: 'function', function: { name: piece.text } }],
      };
    case 'args':
      return { tool_calls: [{ index: 0, function: { arguments: piece.text } }] };
  }
}

/** The chunk for token `t` of choice `index`, or null when vLLM would send nothing for it. */
function chunkChoice(run: Run, index: number, t: number, offset: number): Json | null {
  const plan = run.plans[index];
  const piece = plan?.pieces[t];
  if (!plan || !piece) return null;
  const last = t === plan.pieces.length - 1;
  const finish = last ? { finish_reason: plan.finish, stop_reason: null } : { finish_reason: null };
  if (run.kind === 'completion') {
    const logprobs = run.logprobs === null ? null : completionLogprobs([piece.text], run.logprobs, t, offset);
    return { index, text: piece.text, logprobs, finish_reason: finish.finish_reason, stop_reason: null };
  }
  // A token the parser swallows (hidden reasoning) sends nothing unless it carries the finish.
  const delta = chatDelta(piece, plan, run) ?? (last ? {} : null);
  if (delta === null) return null;
  const logprobs = run.logprobs === null ? null : chatLogprobs([piece.text], run.logprobs, t);
  return { index, delta, logprobs, ...finish };
}

export async function streamRun(
  run: Run,
  res: ServerResponse,
  timing: StreamTiming,
  started: number,
): Promise<StreamEnd> {
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders(); // vLLM's StreamingResponse sends the headers before the first token
  const object = run.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const send = (choices: unknown[], extra: Json = {}): void => {
    res.write(
      `data: ${JSON.stringify({ id: run.id, object, created: run.created, model: run.model, choices, ...extra })}\n\n`,
    );
  };
  await sleep(timing.firstDelay);
  const ttftMs = Date.now() - started;
  let tokens = 0;
  const end = (outcome: StreamEnd['outcome']): StreamEnd => ({ outcome, ttftMs, tokens });
  if (run.kind === 'chat' && !closed) {
    run.plans.forEach((_, index) =>
      send([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
    );
  }
  const steps = Math.max(0, ...run.plans.map((p) => p.pieces.length));
  const offsets = run.plans.map(() => 0);
  for (let t = 0; t < steps; t++) {
    if (closed) return end('closed');
    if (timing.crashMidStream() && t >= CHUNKS_BEFORE_CRASH) return end('crashed');
    run.plans.forEach((plan, index) => {
      const piece = plan.pieces[t];
      if (!piece) return;
      tokens += 1;
      const choice = chunkChoice(run, index, t, offsets[index] ?? 0);
      offsets[index] = (offsets[index] ?? 0) + piece.text.length;
      if (choice) send([choice]);
    });
    if (t < steps - 1) await sleep(timing.tokenDelay);
  }
  if (timing.crashMidStream() && !closed) return end('crashed');
  if (closed) return end('closed');
  if (run.includeUsage) send([], { usage: run.usage });
  res.end('data: [DONE]\n\n');
  return end('done');
}
