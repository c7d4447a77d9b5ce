// Whether a failed deep check restarts the container (SPEC §8), as a pure function of the state,
// the probe's result and the clock, so every rule has a row in a table test.
//
// What may restart: a wedge signature in the answer, or HTTP 500 (the wedge's usual face). What
// never does, although the probe failed: a timeout, a refused connection or another 5xx. A timeout
// is as likely a busy GPU or a slow network as a wedge, and restarting a service that is merely
// busy drops every request it is serving; a refused connection means the process is not listening
// (stopped on purpose, or still loading after a restart), which a restart cannot cure; 503 is what
// a NIM says while it loads, and 502/504 come from proxies in front. Those still count as failed
// checks and are reported; the next check (or the owner) decides.
//
// For vLLM, "restart" means a relaunch of the loaded model through the swap engine (a swap to the
// same catalog entry, see auto-restart.ts), never `docker restart`: the container's PID 1 is
// `sleep infinity`, so a restarted vllm_node serves nothing. The rules are the same, and a
// relaunch is one row of the same budget.
import type { AutoRestartInfo, DeepCheckResult } from '../../../common/services-api.js';

export interface RestartPolicy {
  enabled: boolean;
  maxRestarts: number;
  windowMs: number;
  cooldownMs: number;
  startupGraceMs: number;
}

export interface RestartState {
  policy: RestartPolicy;
  /** Epoch ms of this service's earlier automatic restarts (any order; old ones are ignored). */
  restarts: number[];
  /** When the control plane started (epoch ms). */
  startedAt: number;
  /** vLLM only: whether a model is loaded right now; null for other services. */
  modelLoaded: boolean | null;
  /** The job holding a lock the restart would need (its title), null when free. */
  lockHeldBy: string | null;
  /** An automatic restart of this service is already running. */
  restarting: boolean;
}

export type RefusalCode =
  | 'healthy'
  | 'not_wedged'
  | 'disabled'
  | 'no_model'
  | 'startup'
  | 'restarting'
  | 'locked'
  | 'budget'
  | 'cooldown';

export type RestartDecision =
  { restart: true; reason: string } | { restart: false; reason: string; code: RefusalCode };

type Probe = Pick<DeepCheckResult, 'outcome' | 'wedge_signature' | 'http_status' | 'error'>;

const inWindow = (s: RestartState, now: number) =>
  s.restarts.filter((t) => t > now - s.policy.windowMs && t <= now);
const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/** Why this failed probe allows a restart, or null when it does not (see the header). */
function wedgeCause(p: Probe): string | null {
  if (p.wedge_signature) return `wedge signature ${p.wedge_signature}`;
  if (p.http_status === 500) return 'HTTP 500';
  return null;
}

export function decideRestart(s: RestartState, p: Probe, now: number): RestartDecision {
  const no = (code: RefusalCode, reason: string): RestartDecision => ({ restart: false, code, reason });
  if (p.outcome !== 'failed')
    return no('healthy', `the check ${p.outcome === 'ok' ? 'passed' : 'was skipped'}`);
  const cause = wedgeCause(p);
  if (!cause)
    return no('not_wedged', `not a wedge (${p.error ?? 'failed'}); no restart for this kind of failure`);
  if (!s.policy.enabled) return no('disabled', 'auto-restart is off (deep_health.auto_restart)');
  if (s.modelLoaded === false) return no('no_model', 'no model is loaded; restarting vLLM would not help');
  const graceLeft = s.startedAt + s.policy.startupGraceMs - now;
  if (graceLeft > 0)
    return no('startup', `Spark Control started less than ${seconds(s.policy.startupGraceMs)} ago`);
  if (s.restarting) return no('restarting', 'a restart of this service is already running');
  if (s.lockHeldBy) return no('locked', `${s.lockHeldBy} is using the container`);
  const recent = inWindow(s, now);
  if (recent.length >= s.policy.maxRestarts) return no('budget', budgetReason(s, recent.length));
  const last = Math.max(...recent, -Infinity);
  const coolLeft = last + s.policy.cooldownMs - now;
  if (coolLeft > 0)
    return no('cooldown', `restarted ${seconds(now - last)} ago; cooldown ${seconds(s.policy.cooldownMs)}`);
  return { restart: true, reason: cause };
}

function budgetReason(s: RestartState, n: number): string {
  const min = Math.round(s.policy.windowMs / 60_000);
  return `${n} automatic restarts in the last ${min} min (at most ${s.policy.maxRestarts}); auto-restart is paused`;
}

/** The card's counters: restarts in the window, paused when the budget is spent, and when next. */
export function autoRestartInfo(s: RestartState, now: number): AutoRestartInfo {
  const recent = inWindow(s, now).sort((a, b) => a - b);
  const spent = recent.length >= s.policy.maxRestarts;
  const last = recent.at(-1) ?? Math.max(...s.restarts, -Infinity);
  const candidates = [s.startedAt + s.policy.startupGraceMs];
  if (Number.isFinite(last)) candidates.push(last + s.policy.cooldownMs);
  // The budget frees up when the oldest restart that makes it full leaves the window.
  if (spent) candidates.push(recent[recent.length - s.policy.maxRestarts]! + s.policy.windowMs);
  const next = Math.max(...candidates);
  return {
    restarts_in_window: recent.length,
    max_per_window: s.policy.maxRestarts,
    window_min: s.policy.windowMs / 60_000,
    last_restart_at: Number.isFinite(last) ? new Date(last).toISOString() : null,
    paused: spent,
    reason: !s.policy.enabled
      ? 'auto-restart is off (deep_health.auto_restart)'
      : spent
        ? budgetReason(s, recent.length)
        : null,
    next_allowed_at: s.policy.enabled && next > now ? new Date(next).toISOString() : null,
  };
}
