// From an entry plus the owner's knobs to what the dashboard shows and what a swap runs. Pure.
import type { CatalogModel, Knobs, ModelMode } from '../../../common/api.js';
import { flagValue, hasFlag } from './vllm-args.js';
import type { CatalogEntry } from './entry.js';
import { applyKnobs, extractKnobs } from './knobs.js';

const SERVED_NAME = '--served-model-name';

/** A catalog model without the fields the swap module computes (see CatalogService's `enrich`). */
export type CatalogModelBase = Omit<CatalogModel, 'loaded' | 'expected_seconds' | 'warnings'>;

/**
 * Everything a swap needs, frozen at the moment the swap starts: later catalog edits (knobs,
 * deleting a custom entry) do not change a swap already running.
 */
export interface ResolvedModel {
  readonly key: string;
  readonly display_name: string;
  /** Hugging Face `org/name`, or null for a local-path model. */
  readonly repo: string | null;
  /** Validated directory on the Spark (`/abs` or `~/rel`; send it with `pathArg()`), or null. */
  readonly path: string | null;
  /** The id vLLM's /v1/models will list once the model is loaded. */
  readonly served_model_name: string;
  readonly size_gb: number;
  readonly mode: ModelMode;
  readonly capabilities: readonly string[];
  /** Exactly the args to pass after `vllm serve <repo|path> --port … --host …`. */
  readonly effective_args: readonly string[];
  readonly effective_knobs: Readonly<Knobs>;
  readonly expected_ready_seconds: number;
  readonly custom: boolean;
}

/**
 * The args the next swap passes. A local model is served with `--served-model-name <path as
 * written>`: vLLM would otherwise list the shell-expanded path (`/home/<user>/…` for `~/…`),
 * which the catalog cannot know in advance. An explicit --served-model-name in the args wins.
 */
function effectiveArgs(entry: CatalogEntry, knobs: Partial<Knobs>): string[] {
  const args = applyKnobs(entry.vllm_args, knobs);
  if (entry.path !== null && !hasFlag(args, SERVED_NAME)) args.push(SERVED_NAME, entry.path);
  return args;
}

export function resolveEntry(entry: CatalogEntry, custom: boolean, knobs: Partial<Knobs>): CatalogModelBase {
  const effective_args = effectiveArgs(entry, knobs);
  const model = (entry.repo ?? entry.path)!;
  return {
    key: entry.key,
    display_name: entry.display_name,
    repo: entry.repo,
    path: entry.path,
    size_gb: entry.size_gb,
    mode: entry.mode,
    vllm_args: [...entry.vllm_args],
    description: entry.description,
    capabilities: [...entry.capabilities],
    expected_ready_seconds: entry.expected_ready_seconds,
    custom,
    knobs: { ...knobs },
    effective_knobs: extractKnobs(effective_args),
    effective_args,
    served_model_name: flagValue(effective_args, SERVED_NAME) ?? model,
  };
}

export function toResolved(m: CatalogModelBase): ResolvedModel {
  return Object.freeze({
    key: m.key,
    display_name: m.display_name,
    repo: m.repo,
    path: m.path,
    served_model_name: m.served_model_name,
    size_gb: m.size_gb,
    mode: m.mode,
    capabilities: Object.freeze([...m.capabilities]),
    effective_args: Object.freeze([...m.effective_args]),
    effective_knobs: Object.freeze({ ...m.effective_knobs }),
    expected_ready_seconds: m.expected_ready_seconds,
    custom: m.custom,
  });
}
