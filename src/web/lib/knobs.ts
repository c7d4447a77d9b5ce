// Pure helpers for the Advanced (knobs) dialog: form parsing that mirrors the server's rules, the
// diff that is saved, and plain-English help computed from a node's live memory.
import type { Knobs, NodeHardware } from '../../common/api.js';

/** vLLM's own default when no utilization is set. */
export const VLLM_DEFAULT_UTILIZATION = 0.9;
const GB = 1e9;
const WORDS_PER_TOKEN = 0.75;
const WORDS_PER_PAGE = 500;

export interface KnobForm {
  max_model_len: string;
  gpu_memory_utilization: string;
  fastsafetensors: boolean;
  prefix_caching: boolean;
  fp8_kv_cache: boolean;
}

export type KnobErrors = Partial<Record<'max_model_len' | 'gpu_memory_utilization', string>>;

export function knobFormFrom(k: Knobs): KnobForm {
  return {
    max_model_len: k.max_model_len == null ? '' : String(k.max_model_len),
    gpu_memory_utilization: k.gpu_memory_utilization == null ? '' : String(k.gpu_memory_utilization),
    fastsafetensors: k.fastsafetensors,
    prefix_caching: k.prefix_caching,
    fp8_kv_cache: k.fp8_kv_cache,
  };
}

/** An empty field means "not set" (null); anything else must be valid. */
export function parseKnobForm(f: KnobForm): { knobs: Knobs | null; errors: KnobErrors } {
  const errors: KnobErrors = {};
  let maxLen: number | null = null;
  const len = f.max_model_len.trim();
  if (len !== '') {
    const n = Number(len);
    if (!/^\d+$/.test(len) || !Number.isSafeInteger(n) || n <= 0) {
      errors.max_model_len = 'Enter a whole number of tokens above 0, e.g. 32768, or leave it empty.';
    } else maxLen = n;
  }
  let util: number | null = null;
  const u = f.gpu_memory_utilization.trim();
  if (u !== '') {
    const n = Number(u);
    if (!Number.isFinite(n) || n <= 0 || n > 1) {
      errors.gpu_memory_utilization = 'Enter a fraction above 0 and at most 1, e.g. 0.85.';
    } else util = n;
  }
  if (errors.max_model_len || errors.gpu_memory_utilization) return { knobs: null, errors };
  return {
    knobs: {
      max_model_len: maxLen,
      gpu_memory_utilization: util,
      fastsafetensors: f.fastsafetensors,
      prefix_caching: f.prefix_caching,
      fp8_kv_cache: f.fp8_kv_cache,
    },
    errors,
  };
}

/** Only the knobs that differ from what the next swap would use now. */
export function knobsDiff(current: Knobs, next: Knobs): Partial<Knobs> {
  const diff: Partial<Knobs> = {};
  for (const k of Object.keys(next) as (keyof Knobs)[]) {
    if (next[k] !== current[k]) Object.assign(diff, { [k]: next[k] });
  }
  return diff;
}

/** The memory vLLM's utilization fraction is taken of: the GPU's, or unified RAM on GB10. */
export function nodeMemoryBytes(node: NodeHardware | null | undefined): number | null {
  if (!node) return null;
  const total = node.gpu_mem_total ?? (node.gpu_unified_memory ? node.ram_total : null);
  return total != null && Number.isFinite(total) && total > 0 ? total : null;
}

export interface UtilizationHelp {
  allocatedGb: number;
  leftGb: number;
  /** What remains of the allocation after the weights: the room for the KV cache. */
  kvGb: number;
  text: string;
}

/** "~N GB allocated · ~M GB left", and what that leaves after the weights on this node. */
export function utilizationHelp(util: number, totalBytes: number, weightsGb: number): UtilizationHelp {
  const totalGb = totalBytes / GB;
  const allocatedGb = Math.round(util * totalGb);
  const leftGb = Math.round(totalGb) - allocatedGb;
  const kvGb = Math.round(util * totalGb - weightsGb);
  const weights = Math.round(weightsGb);
  const after =
    kvGb > 0
      ? `The weights take ~${weights} GB of it, leaving ~${kvGb} GB for the KV cache (the context of concurrent requests).`
      : `The weights alone (~${weights} GB) do not fit in that: the load will fail.`;
  return {
    allocatedGb,
    leftGb,
    kvGb,
    text: `~${allocatedGb} GB allocated · ~${leftGb} GB left for the system and other containers. ${after}`,
  };
}

/** How much text a context of this many tokens holds (0.75 words per token, 500 words a page). */
export function contextPages(tokens: number): number {
  return Math.max(1, Math.round((tokens * WORDS_PER_TOKEN) / WORDS_PER_PAGE));
}

export function contextHelp(tokens: number | null): string {
  if (tokens == null) return "Empty: the model's own maximum context length.";
  const words = Math.round(tokens * WORDS_PER_TOKEN).toLocaleString('en-US');
  const pages = contextPages(tokens);
  return `~${pages} ${pages === 1 ? 'page' : 'pages'} of text (~${words} words) per request, prompt and reply together. Longer contexts need more KV-cache memory.`;
}
