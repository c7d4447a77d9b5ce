// The non-streaming bodies: ChatCompletionResponse and CompletionResponse as vLLM serialises them
// (vllm/entrypoints/openai/chat_completion/protocol.py, completion/protocol.py): every field
// present, nulls included, `reasoning` (not the removed `reasoning_content`) on the message.
import type { Run } from './chat-stream.js';
import { chatLogprobs, completionLogprobs } from './logprobs.js';
import { type ChoicePlan, joined } from './output.js';

type Json = Record<string, unknown>;

function chatMessage(plan: ChoicePlan, includeReasoning: boolean): Json {
  const content = joined(plan, 'content');
  const args = joined(plan, 'args');
  const toolCalls = plan.tool
    ? [{ id: plan.tool.id, type: 'function', function: { name: plan.tool.name, arguments: args ?? '' } }]
    : [];
  return {
    role: 'assistant',
    // vLLM: named/required tool choice → content "" beside the call; auto → the parser's (none).
    content: plan.tool ? (content ?? (plan.forcedTool ? '' : null)) : (content ?? ''),
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
    tool_calls: toolCalls,
    // The field current vLLM uses (ChatMessage.reasoning; `reasoning_content` is gone).
    reasoning: includeReasoning ? joined(plan, 'reasoning') : null,
  };
}

/** The non-streaming body (ChatCompletionResponse / CompletionResponse). */
export function fullResponse(run: Run): Json {
  const texts = (p: ChoicePlan): string[] => p.pieces.map((x) => x.text);
  const choices = run.plans.map((plan, index) => {
    if (run.kind === 'chat') {
      return {
        index,
        message: chatMessage(plan, run.includeReasoning),
        logprobs: run.logprobs === null ? null : chatLogprobs(texts(plan), run.logprobs),
        finish_reason: plan.finish,
        stop_reason: null,
        token_ids: null,
      };
    }
    return {
      index,
      text: joined(plan, 'content') ?? '',
      logprobs: run.logprobs === null ? null : completionLogprobs(texts(plan), run.logprobs),
      finish_reason: plan.finish,
      stop_reason: null,
      prompt_logprobs: null,
    };
  });
  return {
    id: run.id,
    object: run.kind === 'chat' ? 'chat.completion' : 'text_completion',
    created: run.created,
    model: run.model,
    choices,
    service_tier: null,
    system_fingerprint: null,
    usage: { ...run.usage, prompt_tokens_details: null },
    ...(run.kind === 'chat' ? { prompt_logprobs: null, prompt_token_ids: null } : {}),
    kv_transfer_params: null,
  };
}
