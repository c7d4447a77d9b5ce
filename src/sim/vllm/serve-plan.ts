// What a `vllm serve` with these arguments will do, decided up front the way vLLM would get there:
// config errors (no such model, context too long) in the API server before anything loads; the
// engine-init checks that only bite at startup (multimodal item budget, Mamba block size) and
// weights that don't fit the GPU. Pure: the engine plays the plan out over time.
import { VLLM_SERVE_FLAGS } from './flags.js';
import type { ParsedArgs } from './argparse.js';
import { apiTraceback, type EngineFailure, GPU_TOTAL_GIB, LOAD, type Pids, weightsGib } from './log.js';
import { type ModelFacts, resolveModel } from './model-facts.js';

/** vLLM's max_num_batched_tokens for the OpenAI server when chunked prefill is on and none is given. */
export const DEFAULT_BATCHED_TOKENS = 2048;
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
const FRONTEND_DEFAULT_PORT = 8000;

export interface ServeSettings {
  model: string;
  servedNames: string[];
  facts: ModelFacts;
  port: number;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  gpuMemoryUtilization: number;
  tensorParallel: number;
  /** Multi-node without Ray: --nnodes/--node-rank/--master-addr/--master-port as the launcher adds them. */
  nnodes: number;
  nodeRank: number;
  masterKey: string;
  headless: boolean;
  ray: boolean;
  apiKeys: string[];
  nonDefault: string;
  /** --enable-auto-tool-choice: tool_choice "auto" is allowed (it also needs a parser). */
  autoToolChoice: boolean;
  /** --tool-call-parser (hermes, qwen3_coder, …): tool calls are parsed out of the output. */
  toolCallParser: string | null;
  /** --reasoning-parser: the model's thinking goes into the `reasoning` field. */
  reasoningParser: string | null;
}

export type ServePlan =
  | { kind: 'config-error'; lines: (pids: Pids) => string[] }
  | { kind: 'load'; settings: ServeSettings; failure?: { at: number; kind: EngineFailure; error: string[] } };

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** Python's repr of a parsed value, for the "non-default args" line. */
function pyValue(v: unknown): string {
  if (typeof v === 'string')
    return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/'/g, "\\'")}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyValue(k)}: ${pyValue(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

const ORDER = new Map(VLLM_SERVE_FLAGS.map((f, i) => [f.dest, i]));

/** vLLM's "non-default args" dict: model_tag first, then the options in registration order. */
export function nonDefaultArgs(args: ParsedArgs): string {
  const dests = [...args.given].sort((a, b) => (ORDER.get(a) ?? -1) - (ORDER.get(b) ?? -1));
  if (args.values.model_tag !== undefined && !dests.includes('model')) dests.push('model');
  return `{${dests
    .filter((d) => args.values[d] !== undefined)
    .sort((a, b) => (ORDER.get(a) ?? -1) - (ORDER.get(b) ?? -1))
    .map((d) => `'${d}': ${pyValue(args.values[d])}`)
    .join(', ')}}`;
}

export function settingsFor(args: ParsedArgs, facts: ModelFacts): ServeSettings {
  const v = args.values;
  const names = Array.isArray(v.served_model_name) ? v.served_model_name.map(String) : [];
  const tp = num(v.tensor_parallel_size, 1) * num(v.pipeline_parallel_size, 1);
  return {
    model: args.model,
    servedNames: names.length > 0 ? names : [args.model],
    facts,
    port: num(v.port, FRONTEND_DEFAULT_PORT),
    maxModelLen: num(v.max_model_len, facts.maxModelLen),
    maxNumBatchedTokens: num(v.max_num_batched_tokens, DEFAULT_BATCHED_TOKENS),
    gpuMemoryUtilization: num(v.gpu_memory_utilization, DEFAULT_GPU_MEMORY_UTILIZATION),
    tensorParallel: tp,
    nnodes: num(v.nnodes, 1),
    nodeRank: num(v.node_rank, 0),
    masterKey: `${typeof v.master_addr === 'string' ? v.master_addr : '127.0.0.1'}:${num(v.master_port, 29501)}`,
    headless: v.headless === true,
    ray: v.distributed_executor_backend === 'ray',
    apiKeys: Array.isArray(v.api_key) ? v.api_key.map(String) : [],
    nonDefault: nonDefaultArgs(args),
    autoToolChoice: v.enable_auto_tool_choice === true,
    toolCallParser: typeof v.tool_call_parser === 'string' ? v.tool_call_parser : null,
    reasoningParser: typeof v.reasoning_parser === 'string' ? v.reasoning_parser : null,
  };
}

const INVALID_MODEL = (model: string): string[] => [
  `ValueError: Invalid repository ID or local directory specified: '${model}'.`,
  'Please verify the following requirements:',
  '1. Provide a valid Hugging Face repository ID.',
  '2. Specify a local directory that contains a recognized configuration file.',
  "   - For Hugging Face models: ensure the presence of a 'config.json'.",
  "   - For Mistral models: ensure the presence of a 'params.json'.",
  '3. For GGUF: pass the local path of the GGUF checkpoint.',
  '   Loading GGUF from a remote repo directly is not yet supported.',
];

/**
 * Plans a serve on `nodes` Sparks. `home`/`cwd` resolve local model paths on the node that runs
 * the API server (the head).
 */
export function planServe(args: ParsedArgs, ctx: { home: string; cwd: string; nodes: number }): ServePlan {
  const resolved = resolveModel(args.model, ctx.home, ctx.cwd);
  if (resolved.kind === 'invalid') {
    const cause =
      resolved.reason === 'not-a-repo-id'
        ? `huggingface_hub.errors.HFValidationError: Repo id must be in the form 'repo_name' or 'namespace/repo_name': '${args.model}'. Use \`repo_type\` argument if needed.`
        : "ValueError: Could not detect config format for no config file found. With config_format 'auto', ensure your model has either config.json (HF format) or params.json (Mistral format). Otherwise please specify your_custom_config_format in engine args for customized config parser.";
    return {
      kind: 'config-error',
      lines: (pids) => apiTraceback(pids, 'config', INVALID_MODEL(args.model), [cause]),
    };
  }
  const s = settingsFor(args, resolved.facts);
  if (s.maxModelLen > resolved.facts.maxModelLen) {
    const msg = `ValueError: User-specified max_model_len (${s.maxModelLen}) is greater than the derived max_model_len (max_position_embeddings=${resolved.facts.maxModelLen} or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len lead to nan. If the model uses absolute position encoding, positions exceeding derived_max_model_len will cause a CUDA array out-of-bounds error.`;
    return { kind: 'config-error', lines: (pids) => apiTraceback(pids, 'config', [msg]) };
  }
  const f = resolved.facts;
  if (
    f.multimodal &&
    args.values.disable_chunked_mm_input !== false &&
    f.mmTokensPerItem > s.maxNumBatchedTokens
  ) {
    return {
      kind: 'load',
      settings: s,
      failure: {
        at: LOAD.engineInit + 0.01,
        kind: 'mm-budget',
        error: [
          `ValueError: Chunked MM input disabled but max_tokens_per_mm_item (${f.mmTokensPerItem}) is larger than max_num_batched_tokens (${s.maxNumBatchedTokens}). Please increase max_num_batched_tokens.`,
        ],
      },
    };
  }
  const budget = GPU_TOTAL_GIB * s.gpuMemoryUtilization;
  const weights = weightsGib({ facts: f, nodes: ctx.nodes });
  if (weights > budget) {
    const fit = budget / weights;
    return {
      kind: 'load',
      settings: s,
      failure: {
        at: LOAD.weightsStart + (LOAD.weightsEnd - LOAD.weightsStart) * fit,
        kind: 'oom',
        error: [
          `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.02 GiB. GPU 0 has a total capacity of ${GPU_TOTAL_GIB.toFixed(2)} GiB of which 0 bytes is free. Including non-PyTorch memory, this process has ${budget.toFixed(2)} GiB memory in use. Of the allocated memory ${(budget - 1.8).toFixed(2)} GiB is allocated by PyTorch, and 12.05 MiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)`,
        ],
      },
    };
  }
  if (f.hybrid && f.mambaBlockSize > s.maxNumBatchedTokens) {
    return {
      kind: 'load',
      settings: s,
      failure: {
        at: LOAD.kvCache,
        kind: 'mamba-block',
        error: [
          `AssertionError: In Mamba cache align mode, block_size (${f.mambaBlockSize}) must be <= max_num_batched_tokens (${s.maxNumBatchedTokens}).`,
        ],
      },
    };
  }
  return { kind: 'load', settings: s };
}

/** Load time at speed 1: grows with the weights each Spark reads. */
export const loadSeconds = (facts: ModelFacts, nodes: number): number => 8 + (facts.sizeGb / nodes) * 0.9;
