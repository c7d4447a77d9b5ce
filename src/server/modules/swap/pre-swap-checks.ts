// Checks a swap must pass before anything stops (issue 12 items 4 and 7): other modules (the disk
// inventory's placement check, the launcher capability check) hand them to the swap module, which
// runs them in pre-flight and again in POST /api/swap. A refusal is a 409 naming what is missing
// and what to do (download the weights, update the launcher); it is never a guess — a check that
// cannot tell (a node did not answer) refuses with that reason instead of passing.
import type { SwapModel } from './model.js';

export interface PreSwapRefusal {
  /** Machine-readable: `weights_missing`, `weights_unknown`, `launcher_outdated`, `launcher_unknown`, … */
  code: string;
  /** A sentence the owner can act on. */
  message: string;
  /** Extra fields for the dashboard (e.g. `{nodes: [...], repo}` to offer the download). */
  details?: Record<string, unknown>;
}

/** `nodes` are the node names the model would run on (head first). */
export type PreSwapCheck = (model: SwapModel, nodes: readonly string[]) => Promise<PreSwapRefusal | null>;
