// Pre-flight checks for failures vLLM's argument parser cannot see, because they only happen at
// engine init (the seed's two field incidents) or as unified-memory pressure on the Spark.
// Pure: the caller passes the model snapshot and the latest hardware snapshot.
import type { HardwareSnapshot, PreflightWarning, VllmState } from '../../../common/api.js';
import type { SwapModel } from './model.js';

/** Multimodal items (2496 tokens) and hybrid-Mamba blocks (2096) exceed vLLM's default 2048. */
export const MIN_BATCHED_TOKENS = 16384;
const DEFAULT_BATCHED_TOKENS = 2048;
const NEEDS_BATCHED_TOKENS = ['vision', 'multimodal', 'hybrid-mamba', 'hybrid', 'mamba'];
const GB = 1e9;
/** vLLM's own default for --gpu-memory-utilization. */
const VLLM_DEFAULT_UTILIZATION = 0.9;

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

/** The vLLM the swap will stop, as far as the server knows it. */
export interface LoadedEngine {
  served_model_name: string;
  /** Its gpu_memory_utilization; null when unknown (started outside Spark Control). */
  gpu_memory_utilization: number | null;
  /** The nodes it runs on; null when unknown (then every node of the swap may hold it). */
  nodes: readonly string[] | null;
}

/** The last swap as the store keeps it (only what the fit check needs). */
export interface LastSwap {
  state: string;
  model: string;
  nodes: readonly string[];
  snapshot: Pick<SwapModel, 'effective_knobs'>;
}

/**
 * The vLLM a swap would stop. vLLM's own answer names it (`loadedName`); when vLLM cannot say (a
 * probe timed out, the head is slow: no model in the status) the last swap that ended ready still
 * holds the memory. That swap's snapshot gives the utilization and nodes; a model started outside
 * Spark Control has neither, so none of the memory on the swap's nodes is held against the new one.
 * A definite `idle` (vLLM answered, nothing served) means nothing is replaced.
 */
export function engineToReplace(
  loadedName: string | null,
  last: LastSwap | null,
  vllmState: VllmState | null = null,
): LoadedEngine | null {
  // vLLM answered and serves nothing: no engine holds memory, whatever the last swap loaded.
  if (vllmState === 'idle') return null;
  if (last?.state === 'ready' && (loadedName === null || last.model === loadedName)) {
    return {
      served_model_name: last.model,
      gpu_memory_utilization:
        last.snapshot.effective_knobs.gpu_memory_utilization ?? VLLM_DEFAULT_UTILIZATION,
      nodes: last.nodes,
    };
  }
  return loadedName === null
    ? null
    : { served_model_name: loadedName, gpu_memory_utilization: null, nodes: null };
}

export interface FitInput {
  model: SwapModel;
  nodes: string[];
  hardware: HardwareSnapshot;
  /** What vLLM runs now: the swap stops it, so its memory is free for the new model. */
  loaded: LoadedEngine | null;
}

/**
 * Bytes of `used` that belong to the vLLM being replaced on one node. With a known utilization
 * vLLM holds at most that share, and the rest is other GPU processes (speech containers); with an
 * unknown one every byte may be vLLM's, and a warning about memory the swap frees would be false.
 */
function replacedBytes(loaded: LoadedEngine | null, node: string, used: number, total: number): number {
  if (!loaded) return 0;
  if (loaded.nodes !== null && !loaded.nodes.includes(node)) return 0;
  if (loaded.gpu_memory_utilization === null) return used;
  return Math.min(used, total * loaded.gpu_memory_utilization);
}

/**
 * Memory fit: the model's share per node must fit in what vLLM may take on that node —
 * unified memory × gpu_memory_utilization, minus what other resident GPU processes (speech
 * containers) hold. The vLLM the swap stops never counts. Unknown hardware gives no warning
 * rather than a guess.
 */
export function memoryFitWarnings(i: FitInput): PreflightWarning[] {
  const util = i.model.effective_knobs.gpu_memory_utilization ?? VLLM_DEFAULT_UTILIZATION;
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
    const used = h.gpu_mem_used ?? 0;
    const others = Math.max(0, used - replacedBytes(i.loaded, name, used, total));
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
