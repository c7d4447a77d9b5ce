// Runs the pre-swap checks (pre-swap-checks.ts) for the swap and for pre-flight. The first refusal
// wins; a check that throws something nobody predicted refuses too (nothing may start on a check
// that did not finish), and an AppError it throws (e.g. a 503 it chose) passes through as is.
import { AppError, isAppError } from '../../platform/http/errors.js';
import type { ValidateResponse } from '../../../common/api.js';
import type { SwapModel } from './model.js';
import type { PreSwapCheck, PreSwapRefusal } from './pre-swap-checks.js';

export async function runPreSwapChecks(
  checks: readonly PreSwapCheck[],
  model: SwapModel,
  nodes: readonly string[],
): Promise<PreSwapRefusal | null> {
  for (const check of checks) {
    let refusal: PreSwapRefusal | null;
    try {
      refusal = await check(model, nodes);
    } catch (err) {
      if (isAppError(err)) throw err;
      const said = err instanceof Error ? err.message : String(err);
      refusal = {
        code: 'check_failed',
        message: `A check before switching to ${model.display_name} failed (${said.slice(0, 300)}); nothing was stopped. Try again.`,
      };
    }
    if (refusal) return refusal;
  }
  return null;
}

/** The 409 POST /api/swap answers with: the refusal's sentence, and `{code, ...details}` for the dashboard. */
export function refusalError(r: PreSwapRefusal): AppError {
  return new AppError('CONFLICT', r.message, { details: { code: r.code, ...r.details } });
}

/** Which pre-flight stage a refusal belongs to: the launcher's checks, or where the weights are. */
export function refusalStage(r: PreSwapRefusal): ValidateResponse['stage'] {
  return r.code.startsWith('launcher') ? 'launcher' : 'placement';
}
