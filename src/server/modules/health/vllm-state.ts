// Turns one look at vLLM's `/v1/models` (or the way it failed) into a state with its reason.
// Pure, so every combination is tested without a network. The rule: "unknown" is not "idle".
import type { VllmState, VllmStatus } from '../../../common/api.js';

export type VllmProbe =
  | { kind: 'answer'; status: number; models: string[] }
  /** The request failed; `code` is the socket or undici error code. */
  | { kind: 'error'; code: string | undefined };

export interface VllmContext {
  base_url: string;
  /** The head node is known to be down (its SSH connection is unreachable). */
  headDown: boolean;
  /**
   * Asked only when vLLM's port refused: whether the head node answered a fresh SSH check (true),
   * is definitely down (false) or could not say in time (null). Left out: not asked.
   */
  headAnswers?: boolean | null;
  /** A swap is running: an empty or silent vLLM is expected to be loading. */
  swapping: boolean;
  /** How long the probe waited before giving up, for the message. */
  timeoutMs: number;
}

/** Nothing listens on the port: the host answered, vLLM is simply not running. */
const REFUSED = new Set(['ECONNREFUSED']);
/** The host itself cannot be reached. */
const NO_ROUTE = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** The host took the connection but vLLM did not answer in time. */
const NO_ANSWER = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'UND_ERR_ABORTED',
]);

function status(
  ctx: VllmContext,
  state: VllmState,
  over: Partial<Pick<VllmStatus, 'model' | 'models' | 'note' | 'error'>> = {},
): VllmStatus {
  return {
    ok: state === 'loaded' || state === 'idle',
    state,
    base_url: ctx.base_url,
    model: null,
    models: [],
    note: null,
    error: null,
    ...over,
  };
}

export const HEAD_UNREACHABLE = 'The head node is unreachable: what vLLM serves is unknown';

export function classifyVllm(probe: VllmProbe, ctx: VllmContext): VllmStatus {
  if (ctx.headDown) {
    return status(ctx, 'unreachable', { error: HEAD_UNREACHABLE });
  }
  if (probe.kind === 'answer') {
    if (probe.status !== 200) {
      return status(ctx, ctx.swapping ? 'loading' : 'unknown', {
        error: `vLLM answered HTTP ${probe.status}`,
      });
    }
    if (probe.models.length > 0)
      return status(ctx, 'loaded', { model: probe.models[0]!, models: probe.models });
    return ctx.swapping
      ? status(ctx, 'loading', { note: 'loading: a swap is running' })
      : status(ctx, 'idle', { note: 'idle: no model loaded' });
  }
  const code = probe.code;
  if (code && REFUSED.has(code)) {
    // A refused port means "nothing listens" only if the node itself is up: a node going down
    // refuses too until its SSH connection notices, and "idle" must never be a guess.
    if (ctx.headAnswers === false)
      return status(ctx, 'unreachable', {
        error: 'The head node is unreachable: what vLLM serves is unknown',
      });
    if (ctx.headAnswers === null)
      return status(ctx, 'unknown', {
        error: "vLLM's port refused and the head node did not answer in time: its state is unknown",
      });
    return ctx.swapping
      ? status(ctx, 'loading', { note: 'loading: a swap is running' })
      : status(ctx, 'idle', { note: 'idle: vLLM is not running' });
  }
  if (code && NO_ROUTE.has(code)) {
    return status(ctx, 'unreachable', { error: `vLLM's host cannot be reached (${code})` });
  }
  if (code && NO_ANSWER.has(code)) {
    return status(ctx, 'unknown', {
      error: `vLLM did not answer within ${Math.round(ctx.timeoutMs / 100) / 10} s: its state is unknown`,
    });
  }
  return status(ctx, 'unknown', {
    error: `Could not read vLLM's model list (${code ?? 'unexpected error'})`,
  });
}
