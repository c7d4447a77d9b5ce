// Pre-flight checks for failures vLLM's argument parser cannot see, because they only happen at
// engine init (the seed's two field incidents) or as unified-memory pressure on the Spark.
// Pure: the caller passes the model snapshot and the latest hardware snapshot.
import type { HardwareSnapshot, PreflightWarning } from '../../../common/api.js';
import type { SwapModel } from './model.js';

/** Multimodal items (2496 tokens) and hybrid-Mamba blocks (2096) exceed vLLM's default 2048. */
export const MIN_BATCHED_TOKENS = 16384;
const DEFAULT_BATCHED_TOKENS = 2048;
const NEEDS_BATCHED_TOKENS = ['vision', 'multimodal', 'hybrid-mamba', 'hybrid', 'mamba'];
const GB = 1e9;

// The one reader of vLLM's arguments (`_` ≡ `-`, `=value` or next word); re-exported for the tests.
export { flagValue } from '../catalog/vllm-args.js';
import { flagValue } from '../catalog/vllm-args.js';

export function batchedTokensWarning(m: SwapModel): PreflightWarning | null {
  const kind = m.capabilities.find((c) => NEEDS_BATCHED_TOKENS.includes(c.toLowerCase()));
  if (!kind) return null;
  const raw = flagValue(m.effective_args, '--max-num-batched-tokens');
  const value = raw === null ? DEFAULT_BATCHED_TOKENS : Number(raw);
  if (Number.isFinite(value) && value >= MIN_BATCHED_TOKENS) return null;
  const what = kind.toLowerCase().includes('mamba') || kind === 'hybrid' ? 'hybrid-Mamba' : 'multimodal';
  return {
    code: 'batched_tokens',
    message:
      `${what} models fail at engine init when --max-num-batched-tokens is below ${MIN_BATCHED_TOKENS} ` +
      `(${raw === null ? `vLLM's default is ${DEFAULT_BATCHED_TOKENS}` : `it is ${raw}`}); add --max-num-batched-tokens=${MIN_BATCHED_TOKENS}.`,
  };
}

export interface FitInput {
  model: SwapModel;
  nodes: string[];
  hardware: HardwareSnapshot;
  /** The model vLLM serves now and its utilization: its memory is freed by the swap. */
  loaded: { served_model_name: string; gpu_memory_utilization: number } | null;
}

/**
 * Memory fit: the model's share per node must fit in what vLLM may take on that node —
 * unified memory × gpu_memory_utilization, minus what other resident GPU processes (speech
 * containers) hold. Unknown hardware gives no warning rather than a guess.
 */
export function memoryFitWarnings(i: FitInput): PreflightWarning[] {
  const util = i.model.effective_knobs.gpu_memory_utilization ?? 0.9;
  const share = (i.model.size_gb * GB) / i.nodes.length;
  const out: PreflightWarning[] = [];
  for (const name of i.nodes) {
    const h = i.hardware[name];
    // Not probed yet (just after start): unknown, not unreachable.
    if (!h || (!h.ok && h.error_kind === null)) continue;
    if (!h.ok) {
      out.push({
        code: 'nodes_unreachable',
        message: `${name} is unreachable; the swap cannot start there until it answers.`,
      });
      continue;
    }
    const total = h.gpu_mem_total ?? h.ram_total;
    if (!total) continue;
    const vllmNow = i.loaded ? Math.min(h.gpu_mem_used ?? 0, total * i.loaded.gpu_memory_utilization) : 0;
    const others = Math.max(0, (h.gpu_mem_used ?? 0) - vllmNow);
    const budget = total * util - others;
    // Weights alone must leave room for the KV cache and activations (about 10 %).
    if (share > budget * 0.9) {
      out.push({
        code: 'memory_fit',
        message:
          `Needs ~${(share / GB).toFixed(0)} GB on ${name}, but vLLM may use only ~${(budget / GB).toFixed(0)} GB there ` +
          `(${(total / GB).toFixed(0)} GB × ${util}${others > 0 ? ` minus ${(others / GB).toFixed(0)} GB held by other GPU processes` : ''}).`,
      });
    }
  }
  return out;
}
