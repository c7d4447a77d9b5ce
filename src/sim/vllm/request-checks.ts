// The 400s vLLM gives for chat/completions requests, in the order vLLM checks them: the request
// model's pydantic validators first (before the handler runs, so before the model check), then the
// serving layer's checks (model, tool-choice flags, token limits).
import type { ServeSettings } from './serve-plan.js';

export type ApiError = { status: number; body: unknown };
type Json = Record<string, unknown>;

export function apiError(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
): ApiError {
  return { status, body: { error: { message, type, param, code: status } } };
}

/** pydantic's message for a missing body field, as vLLM answers it (400 BadRequestError). */
export const missingField = (field: string): ApiError =>
  apiError(
    400,
    'BadRequestError',
    `[{'type': 'missing', 'loc': ('body', '${field}'), 'msg': 'Field required', 'input': {}}]`,
  );

/** OpenAIServing._check_model (vllm/entrypoints/openai/engine/serving.py): 404 with param "model". */
export const unknownModel = (model: unknown): ApiError =>
  apiError(404, 'NotFoundError', `The model \`${String(model)}\` does not exist.`, 'model');

/**
 * A model_validator failure as vLLM's RequestValidationError handler renders it: type is the
 * status phrase ("Bad Request"), param is the VLLMValidationError's parameter when it has one
 * (vllm/entrypoints/openai/api_server.py `validation_exception_handler`).
 */
export const invalid = (message: string, param: string | null = null): ApiError =>
  apiError(400, 'Bad Request', `1 validation error:\n  Value error, ${message}`, param);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tools a request carries, as [name, parameters schema] (malformed entries are skipped). */
export function toolList(req: Json): { name: string; parameters: unknown }[] {
  if (!Array.isArray(req.tools)) return [];
  return req.tools.flatMap((t) => {
    const fn = isObj(t) && isObj(t.function) ? t.function : undefined;
    return fn && typeof fn.name === 'string' ? [{ name: fn.name, parameters: fn.parameters ?? {} }] : [];
  });
}

/**
 * ChatCompletionRequest's validators (vllm/entrypoints/openai/chat_completion/protocol.py:
 * validate_stream_options, check_logprobs, check_tool_usage). Mutates like vLLM does: tools
 * without tool_choice default to "auto"; "required" with an empty tool list becomes "none".
 */
export function chatValidators(req: Json): ApiError | null {
  const common = streamOptionsCheck(req);
  if (common) return common;
  const top = req.top_logprobs;
  if (top !== undefined && top !== null) {
    if (typeof top !== 'number' || (top < 0 && top !== -1)) {
      return invalid('`top_logprobs` must be a positive value or -1.', 'top_logprobs');
    }
    if ((top === -1 || top > 0) && !req.logprobs) {
      return invalid('when using `top_logprobs`, `logprobs` must be set to true.', 'top_logprobs');
    }
  }
  if (!('tool_choice' in req) && Array.isArray(req.tools) && req.tools.length > 0) req.tool_choice = 'auto';
  const choice = req.tool_choice;
  if (choice === undefined || choice === null || choice === 'none') return null;
  if (req.tools === undefined || req.tools === null) {
    return invalid('When using `tool_choice`, `tools` must be set.');
  }
  if (choice !== 'auto' && choice !== 'required' && !isObj(choice)) {
    return invalid(
      `Invalid value for \`tool_choice\`: ${String(choice)}! Only named tools, "none", "auto" or "required" are supported.`,
    );
  }
  if (choice === 'required' && Array.isArray(req.tools) && req.tools.length === 0) {
    req.tool_choice = 'none';
    delete req.tools;
    return null;
  }
  if (isObj(choice)) {
    const usage = 'Correct usage: `{"type": "function", "function": {"name": "my_function"}}`';
    const fn = choice.function;
    if (!isObj(fn))
      return invalid(`Invalid value for \`function\`: \`${String(fn)}\` in \`tool_choice\`! ${usage}`);
    if (!('name' in fn))
      return invalid(`Expected field \`name\` in \`function\` in \`tool_choice\`! ${usage}`);
    if (typeof fn.name !== 'string' || fn.name === '') {
      return invalid(`Invalid \`name\` in \`function\`: \`${String(fn.name)}\` in \`tool_choice\`! ${usage}`);
    }
    if (!toolList(req).some((t) => t.name === fn.name)) {
      return invalid('The tool specified in `tool_choice` does not match any of the specified `tools`');
    }
  }
  return null;
}

/** CompletionRequest's validators (vllm/entrypoints/openai/completion/protocol.py). */
export function completionValidators(req: Json): ApiError | null {
  const common = streamOptionsCheck(req);
  if (common) return common;
  const lp = req.logprobs;
  if (lp !== undefined && lp !== null && (typeof lp !== 'number' || lp < 0)) {
    return invalid('`logprobs` must be a positive value.', 'logprobs');
  }
  return null;
}

/** validate_stream_options: any truthy stream_options needs stream=True. */
function streamOptionsCheck(req: Json): ApiError | null {
  const opts = req.stream_options;
  const truthy = isObj(opts) ? Object.keys(opts).length > 0 : Boolean(opts);
  if (truthy && !req.stream) {
    return invalid('Stream options can only be defined when `stream=True`.', 'stream_options');
  }
  const n = req.n;
  if (n !== undefined && n !== null && (typeof n !== 'number' || !Number.isInteger(n) || n < 1)) {
    // SamplingParams._verify_args (vllm/sampling_params.py), a ValueError → BadRequestError.
    return apiError(400, 'BadRequestError', `n must be at least 1, got ${String(n)}.`);
  }
  return null;
}

/**
 * The serving layer's tool-choice check against the launch flags
 * (vllm/renderers/online_renderer.py `render_chat`): without --tool-call-parser, "auto" needs
 * --enable-auto-tool-choice, and "required" or a named tool need the parser.
 */
export function toolFlagsCheck(req: Json, s: ServeSettings | undefined): ApiError | null {
  const choice = req.tool_choice;
  if (s?.toolCallParser || choice === undefined || choice === null || choice === 'none') return null;
  if (choice === 'auto') {
    return s?.autoToolChoice
      ? null
      : apiError(
          400,
          'BadRequestError',
          '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
        );
  }
  const desc =
    isObj(choice) && isObj(choice.function)
      ? `function "${String(choice.function.name)}"`
      : `"${String(choice)}"`;
  return apiError(400, 'BadRequestError', `tool_choice=${desc} requires --tool-call-parser to be set`);
}
