// What the fake vLLM knows about a model, the way real vLLM learns it: from the model's config.json
// (architecture, context length, vision tower, Mamba layers) and the size of its weights. Known
// repos come from the table below; the HF cache on the node (config.json + safetensors sizes) wins
// when it is there; unknown names fall back to heuristics on the name. Local paths must be a
// directory holding a config.json, as vLLM requires.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export interface ModelFacts {
  architecture: string;
  /** Weight size on disk (GB): drives load time and the GPU memory the process holds. */
  sizeGb: number;
  /** max_position_embeddings: the longest --max-model-len vLLM accepts. */
  maxModelLen: number;
  /** Has a vision (or audio) tower: vLLM checks its per-item token budget at engine init. */
  multimodal: boolean;
  /** Hybrid attention + Mamba/linear-attention layers: vLLM checks the Mamba block size at init. */
  hybrid: boolean;
  /** vLLM's max_tokens_per_mm_item for the model (0 when text-only). */
  mmTokensPerItem: number;
  /** Mamba cache "align mode" block size (0 when not hybrid). */
  mambaBlockSize: number;
}

const DEFAULT_MM_TOKENS = 2496;
const DEFAULT_MAMBA_BLOCK = 2096;

const text = (architecture: string, sizeGb: number, maxModelLen: number): ModelFacts => ({
  architecture,
  sizeGb,
  maxModelLen,
  multimodal: false,
  hybrid: false,
  mmTokensPerItem: 0,
  mambaBlockSize: 0,
});

/** The models the catalog ships (and a few neighbours), as their config.json and weights say. */
export const MODEL_FACTS: Record<string, ModelFacts> = {
  'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8': text('Qwen3MoeForCausalLM', 31.2, 262144),
  'Qwen/Qwen3-VL-30B-A3B-Instruct-FP8': {
    ...text('Qwen3VLMoeForConditionalGeneration', 32.4, 262144),
    multimodal: true,
    mmTokensPerItem: DEFAULT_MM_TOKENS,
  },
  'Qwen/Qwen3-Next-80B-A3B-Instruct-FP8': {
    ...text('Qwen3NextForCausalLM', 81.5, 262144),
    hybrid: true,
    mambaBlockSize: DEFAULT_MAMBA_BLOCK,
  },
  'openai/gpt-oss-120b': text('GptOssForCausalLM', 65.3, 131072),
  'openai/gpt-oss-20b': text('GptOssForCausalLM', 13.8, 131072),
  'nvidia/Llama-3.3-70B-Instruct-FP4': text('LlamaForCausalLM', 40.1, 131072),
  // Too big for one Spark's 128 GB: they only load in cluster mode (tensor parallel over two).
  'nvidia/Qwen3-235B-A22B-FP4': text('Qwen3MoeForCausalLM', 132.4, 40960),
  'RedHatAI/Qwen3-235B-A22B-Instruct-2507-NVFP4': text('Qwen3MoeForCausalLM', 133, 262144),
  // Vision + hybrid linear-attention MoE: both engine-init checks apply.
  'nvidia/Qwen3.6-35B-A3B-NVFP4': {
    ...text('Qwen3_5MoeForConditionalGeneration', 23.5, 262144),
    multimodal: true,
    hybrid: true,
    mmTokensPerItem: DEFAULT_MM_TOKENS,
    mambaBlockSize: DEFAULT_MAMBA_BLOCK,
  },
  'nvidia/Gemma-4-26B-A4B-NVFP4': {
    ...text('Gemma4ForConditionalGeneration', 18.8, 262144),
    multimodal: true,
    mmTokensPerItem: DEFAULT_MM_TOKENS,
  },
};

const MULTIMODAL_NAME = /(^|[-_/.])(VL|VLM|vision|Omni)([-_.]|$)|vision|llava|pixtral|InternVL|gemma-3/i;
const HYBRID_NAME = /Next|Nemotron-H|Mamba|Jamba|Falcon-H|Granite-4/i;

/** Facts for a repo: the table verbatim; otherwise the name's parameter count, quantization and kind. */
export function repoFacts(repo: string): ModelFacts {
  const known = MODEL_FACTS[repo];
  if (known) return known;
  const params = Number(/(\d+(?:\.\d+)?)B\b/i.exec(repo)?.[1] ?? 8);
  const bytesPerParam = /nvfp4|fp4|awq|int4|gptq|4bit/i.test(repo)
    ? 0.56
    : /fp8|int8|8bit/i.test(repo)
      ? 1.05
      : 2.05;
  const lower = repo.toLowerCase();
  const multimodal = MULTIMODAL_NAME.test(repo);
  const hybrid = HYBRID_NAME.test(repo);
  const architecture = lower.includes('qwen')
    ? multimodal
      ? 'Qwen2_5_VLForConditionalGeneration'
      : hybrid
        ? 'Qwen3NextForCausalLM'
        : 'Qwen3ForCausalLM'
    : lower.includes('nemotron-h')
      ? 'NemotronHForCausalLM'
      : lower.includes('gemma')
        ? 'Gemma3ForConditionalGeneration'
        : lower.includes('mistral')
          ? 'MistralForCausalLM'
          : 'LlamaForCausalLM';
  return {
    architecture,
    sizeGb: Math.round(params * bytesPerParam * 10) / 10,
    maxModelLen: 32768,
    multimodal,
    hybrid,
    mmTokensPerItem: multimodal ? DEFAULT_MM_TOKENS : 0,
    mambaBlockSize: hybrid ? DEFAULT_MAMBA_BLOCK : 0,
  };
}

/**
 * Models that think before answering (chat templates that open a `<think>` block, gpt-oss's
 * analysis channel). Qwen3 "-Instruct-2507" checkpoints are the non-thinking ones.
 */
const THINKING_NAME =
  /thinking|gpt-oss|qwq|deepseek-r1|-r1\b|magistral|qwen3\.[5-9]|gemma-4|nemotron.*(nano|super)/i;
export const isReasoningModel = (repo: string): boolean =>
  THINKING_NAME.test(repo) && !/qwen3-[\w.-]*instruct/i.test(repo);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/** Refines facts with a config.json the way vLLM reads it (architectures, context, towers, layers). */
export function factsFromConfig(config: unknown, base: ModelFacts): ModelFacts {
  const c = obj(config);
  if (!c) return base;
  const textConfig = obj(c.text_config) ?? obj(c.llm_config) ?? c;
  const arch =
    Array.isArray(c.architectures) && typeof c.architectures[0] === 'string' ? c.architectures[0] : '';
  const maxLen = Number(textConfig.max_position_embeddings ?? c.max_position_embeddings);
  // A stub config (no architectures, no model_type) says nothing about towers or layers.
  const described = arch !== '' || typeof (textConfig.model_type ?? c.model_type) === 'string';
  const multimodal = described
    ? Boolean(obj(c.vision_config) ?? obj(c.audio_config)) || /VL|Vision|Conditional/i.test(arch)
    : base.multimodal;
  const layerTypes = Array.isArray(textConfig.layer_types) ? textConfig.layer_types.map(String) : [];
  const modelType = String(textConfig.model_type ?? c.model_type ?? '');
  const hybrid = described
    ? layerTypes.some((t) => /linear|mamba/i.test(t)) ||
      /qwen3_next|nemotron_h|mamba|jamba|falcon_h|granitemoehybrid/i.test(modelType) ||
      typeof textConfig.hybrid_override_pattern === 'string'
    : base.hybrid;
  return {
    ...base,
    architecture: arch || base.architecture,
    maxModelLen: Number.isFinite(maxLen) && maxLen > 0 ? maxLen : base.maxModelLen,
    multimodal,
    hybrid,
    mmTokensPerItem: multimodal ? base.mmTokensPerItem || DEFAULT_MM_TOKENS : 0,
    mambaBlockSize: hybrid ? base.mambaBlockSize || DEFAULT_MAMBA_BLOCK : 0,
  };
}

/** Sum of *.safetensors sizes in a directory (following the HF cache's symlinks), in GB. */
function weightsGb(dir: string): number {
  let bytes = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.safetensors')) continue;
    try {
      bytes += statSync(join(dir, f)).size;
    } catch {
      // a dangling symlink: the blob is not there (yet)
    }
  }
  return Math.round((bytes / 1e9) * 10) / 10;
}

function readConfig(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function fromDir(dir: string, base: ModelFacts): ModelFacts {
  const facts = factsFromConfig(readConfig(dir), base);
  const size = weightsGb(dir);
  return size > 0 ? { ...facts, sizeGb: size } : facts;
}

/** The newest snapshot of a repo in the node's HF cache that has a config.json, if any. */
function cachedSnapshot(home: string, repo: string): string | undefined {
  const root = join(home, '.cache', 'huggingface', 'hub', `models--${repo.replace(/\//g, '--')}`);
  try {
    const ref = readFileSync(join(root, 'refs', 'main'), 'utf8').trim();
    const dir = join(root, 'snapshots', ref);
    if (existsSync(join(dir, 'config.json'))) return dir;
  } catch {
    // not downloaded, or downloaded without refs/main
  }
  try {
    const snaps = readdirSync(join(root, 'snapshots')).map((s) => join(root, 'snapshots', s));
    return snaps.find((d) => existsSync(join(d, 'config.json')));
  } catch {
    return undefined;
  }
}

export type ResolvedModel =
  | { kind: 'repo'; facts: ModelFacts }
  | { kind: 'local'; dir: string; facts: ModelFacts }
  /** Neither a repo id nor a directory with a config.json: vLLM refuses it at config time. */
  | { kind: 'invalid'; reason: 'no-config' | 'not-a-repo-id' };

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/**
 * Resolves `vllm serve <model>` as vLLM does. Paths inside the container map to the node: the
 * HF cache mount (/root/.cache/huggingface) to ~/.cache/huggingface, everything else as is, relative
 * paths from `cwd`.
 */
export function resolveModel(model: string, home: string, cwd: string): ResolvedModel {
  const mapped = model.startsWith('/root/.cache/huggingface')
    ? join(home, '.cache/huggingface', model.slice('/root/.cache/huggingface'.length))
    : model.startsWith('~/')
      ? join(home, model.slice(2))
      : model;
  const local = isAbsolute(mapped) ? mapped : resolve(cwd, mapped);
  if (existsSync(local) && statSync(local).isDirectory()) {
    if (!existsSync(join(local, 'config.json'))) return { kind: 'invalid', reason: 'no-config' };
    const name = local.split('/').filter(Boolean).pop() ?? model;
    return { kind: 'local', dir: local, facts: fromDir(local, repoFacts(name)) };
  }
  if (!REPO_ID.test(model)) return { kind: 'invalid', reason: 'not-a-repo-id' };
  const snapshot = cachedSnapshot(home, model);
  const base = repoFacts(model);
  return { kind: 'repo', facts: snapshot ? fromDir(snapshot, base) : base };
}

/** Resident GPU memory of the vLLM process per node: its share of the weights plus KV cache and graphs. */
export const vllmGpuMiB = (facts: ModelFacts, nodes = 1): number =>
  Math.round((facts.sizeGb / nodes) * 1.3 * 1024);
