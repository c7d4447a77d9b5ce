// Pure helpers for model cards: the load-time line and what is loaded now.
import type { CatalogModel, ModelsResponse } from '../../common/api.js';
import { formatApprox } from './time.js';

/** True when the estimate comes from past swaps rather than the catalog's static value. */
export function expectedIsMeasured(m: Pick<CatalogModel, 'expected_seconds' | 'expected_ready_seconds'>) {
  return m.expected_seconds !== m.expected_ready_seconds;
}

/** "~3 min to load, from past swaps" or "~45 s to load". */
export function expectedLoadText(m: Pick<CatalogModel, 'expected_seconds' | 'expected_ready_seconds'>) {
  const approx = formatApprox(m.expected_seconds);
  return expectedIsMeasured(m) ? `${approx} to load, from past swaps` : `${approx} to load`;
}

/** How to name what vLLM serves now: its catalog display name, else its raw id, else null. */
export function loadedLabel(res: Pick<ModelsResponse, 'models' | 'loaded_key' | 'loaded_model'>) {
  const m = res.loaded_key ? res.models.find((x) => x.key === res.loaded_key) : undefined;
  return m?.display_name ?? res.loaded_model ?? null;
}

/** "31 GB", "7.5 GB". */
export function formatSizeGb(gb: number): string {
  if (!Number.isFinite(gb) || gb < 0) return '—';
  return `${gb >= 10 ? Math.round(gb) : Math.round(gb * 10) / 10} GB`;
}
