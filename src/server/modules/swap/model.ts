// What the swap needs to know about a model: the catalog's resolved snapshot, taken when the
// swap starts, so edits to the catalog during a swap never change the running one.
import type { Knobs, ModelMode } from '../../../common/api.js';

export interface SwapModel {
  key: string;
  display_name: string;
  repo: string | null;
  path: string | null;
  served_model_name: string;
  size_gb: number;
  mode: ModelMode;
  capabilities: readonly string[];
  effective_args: readonly string[];
  effective_knobs: Knobs;
  expected_ready_seconds: number;
}
