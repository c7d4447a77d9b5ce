// What the fake vLLM needs to know about a model: its weight size (drives load time and the
// GPU memory the process holds), context length and architecture (both appear in vLLM's log).
export interface ModelInfo {
  sizeGb: number;
  maxModelLen: number;
  architecture: string;
}

const KNOWN: Record<string, ModelInfo> = {
  'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8': {
    sizeGb: 31.2,
    maxModelLen: 262144,
    architecture: 'Qwen3MoeForCausalLM',
  },
  'Qwen/Qwen3-Next-80B-A3B-Instruct-FP8': {
    sizeGb: 81.5,
    maxModelLen: 262144,
    architecture: 'Qwen3NextForCausalLM',
  },
  'openai/gpt-oss-120b': { sizeGb: 65.3, maxModelLen: 131072, architecture: 'GptOssForCausalLM' },
  'openai/gpt-oss-20b': { sizeGb: 13.8, maxModelLen: 131072, architecture: 'GptOssForCausalLM' },
  'nvidia/Llama-3.3-70B-Instruct-FP4': {
    sizeGb: 40.1,
    maxModelLen: 131072,
    architecture: 'LlamaForCausalLM',
  },
};

/** Known models verbatim; otherwise an estimate from the parameter count and quantization in the name. */
export function modelInfo(repo: string): ModelInfo {
  const known = KNOWN[repo];
  if (known) return known;
  const params = Number(/(\d+(?:\.\d+)?)B\b/i.exec(repo)?.[1] ?? 8);
  const bytesPerParam = /nvfp4|fp4|awq|int4|gptq|4bit/i.test(repo)
    ? 0.56
    : /fp8|int8|8bit/i.test(repo)
      ? 1.05
      : 2.05;
  const lower = repo.toLowerCase();
  const architecture = lower.includes('qwen')
    ? 'Qwen3ForCausalLM'
    : lower.includes('gemma')
      ? 'Gemma3ForConditionalGeneration'
      : lower.includes('mistral')
        ? 'MistralForCausalLM'
        : 'LlamaForCausalLM';
  return { sizeGb: Math.round(params * bytesPerParam * 10) / 10, maxModelLen: 32768, architecture };
}

/** Resident GPU memory of a vLLM process serving the model (weights plus KV cache and graphs). */
export const vllmGpuMiB = (repo: string): number => Math.round(modelInfo(repo).sizeGb * 1.3 * 1024);
