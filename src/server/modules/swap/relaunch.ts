// Relaunching the model vLLM serves now, through the swap engine: a swap to the same catalog entry
// (stop, launch, load — its own job, locks and log). Deep health asks for it when vLLM is wedged:
// with spark-vllm-docker, `docker restart vllm_node` cannot heal vLLM (the container's PID 1 is
// `sleep infinity`; vLLM is exec'd in by the launcher), so a restarted container serves nothing.
//
// A swap to the model already loaded is an ordinary swap (SwapService.start never compares it with
// what is loaded: it always stops and launches), so no `force` flag and no new public API are
// needed: the owner can do the same with `POST /api/swap {key}` (SPEC §5).
import { isAppError } from '../../platform/http/errors.js';
import type { SwapService } from './service.js';

export interface RelaunchOutcome {
  started: boolean;
  /** Why it was refused, or what was started. */
  reason: string;
  /** The swap's id (= its job's id) when started. */
  job_id?: string;
}

export interface RelaunchDeps {
  swaps: Pick<SwapService, 'start' | 'running'>;
  /** The served model name vLLM reports now (the status poller), null when idle. */
  loadedModel: () => string | null;
  /** The catalog key whose served name is `model` (catalog.keyForServedModel). */
  keyFor: (model: string) => string | null;
  /** A line at the top of the swap's log saying who asked and why. */
  origin: string;
}

const refused = (reason: string): RelaunchOutcome => ({ started: false, reason });

/**
 * Starts the relaunch, or says why not. Never guesses: a model with no catalog entry (launched by
 * hand) is refused, since a swap needs the entry's exact arguments. Errors the swap service
 * answers with (a swap or download holding the locks, the GPU lock held by someone, a node down,
 * weights missing on a node) become refusals carrying their message; anything else is a bug and is thrown.
 */
export async function relaunchLoadedModel(d: RelaunchDeps): Promise<RelaunchOutcome> {
  const model = d.loadedModel();
  if (!model) return refused('no model is loaded');
  const running = d.swaps.running();
  if (running) return refused(`a swap to ${running.display_name} is running (${running.id})`);
  const key = d.keyFor(model);
  if (!key)
    return refused(
      `the loaded model ${model} has no catalog entry (launched by hand?); add it to the catalog to let deep health relaunch it`,
    );
  try {
    const { id } = await d.swaps.start(key, null, d.origin);
    return { started: true, reason: `relaunching ${key} (swap ${id})`, job_id: id };
  } catch (err) {
    if (isAppError(err)) return refused(err.message);
    throw err;
  }
}
