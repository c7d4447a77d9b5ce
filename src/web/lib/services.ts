// Pure helpers of the Audio tab's service cards: the status pill, which actions make sense in
// which state, what each confirmation says, the deep-check line and the auto-restart notice.
// Unit-tested in services.test.ts.
import type {
  AutoRestartInfo,
  DeepCheckResult,
  PatchFileStatus,
  ServiceAction,
  ServiceInfo,
} from '../../common/services-api.js';
import { formatAge } from './format.js';

export type Tone = 'ok' | 'warn' | 'danger' | 'muted' | 'info';

export interface Pill {
  label: string;
  tone: Tone;
  /** Longer text for the tooltip (e.g. why the state is unknown). */
  title: string | null;
}

type PillInput = Pick<ServiceInfo, 'kind' | 'docker_state' | 'health' | 'error'>;

/**
 * One pill for docker state + HTTP health. Green only when the container runs and (for services
 * with an HTTP health endpoint) the endpoint says healthy; `unknown` is never green.
 */
export function statusPill(s: PillInput): Pill {
  const why = s.error ?? null;
  switch (s.docker_state) {
    case 'unknown':
      return { label: 'unknown', tone: 'muted', title: why ?? 'Its node did not answer.' };
    case 'missing':
      return { label: 'no container', tone: 'danger', title: why ?? 'No container with this name.' };
    case 'exited':
      return { label: 'stopped', tone: 'muted', title: why };
    case 'paused':
      return { label: 'paused', tone: 'warn', title: why };
    case 'restarting':
      return { label: 'restarting', tone: 'warn', title: why };
    case 'running':
      break;
  }
  if (s.kind === 'bot' || s.health === null) return { label: 'running', tone: 'ok', title: why };
  switch (s.health) {
    case 'healthy':
      return { label: 'healthy', tone: 'ok', title: why };
    case 'starting':
      return { label: 'starting', tone: 'warn', title: why };
    case 'unhealthy':
      return { label: 'unhealthy', tone: 'danger', title: why };
    case 'not configured':
      return { label: 'running · health not configured', tone: 'info', title: why };
    case 'unknown':
      return { label: 'running · health unknown', tone: 'muted', title: why };
  }
}

export interface ActionAvailability {
  enabled: boolean;
  /** Why the button is disabled (its tooltip), null when enabled. */
  reason: string | null;
}

type ActionInput = Pick<ServiceInfo, 'docker_state' | 'job'>;

/** Start/Stop/Restart enabled only where they change something and nothing else runs on it. */
export function actionAvailability(s: ActionInput, action: ServiceAction): ActionAvailability {
  const no = (reason: string): ActionAvailability => ({ enabled: false, reason });
  if (s.job && s.job.state === 'running') return no(`A ${s.job.kind} job is running on this container.`);
  const state = s.docker_state;
  if (state === 'unknown') return no('Its node did not answer: the container state is unknown.');
  if (state === 'missing') return no('There is no container with this name on its node.');
  switch (action) {
    case 'start':
      return state === 'exited' ? { enabled: true, reason: null } : no(`It is ${state}, not stopped.`);
    case 'stop':
      return state === 'exited' ? no('It is already stopped.') : { enabled: true, reason: null };
    case 'restart':
      return state === 'running' || state === 'paused'
        ? { enabled: true, reason: null }
        : no(state === 'exited' ? 'It is stopped: use Start.' : `It is already ${state}.`);
  }
}

/** The confirmation sentence: exactly what will happen. */
export function actionConfirmText(
  s: Pick<ServiceInfo, 'name' | 'container' | 'node' | 'kind'>,
  action: ServiceAction,
): string {
  const where = `container ${s.container} on ${s.node}`;
  const users = s.kind === 'bot' ? 'The bot is offline' : 'Requests to it fail';
  switch (action) {
    case 'start':
      return `Runs docker start on ${where}. It answers again once its model has loaded.`;
    case 'stop':
      return `Runs docker stop on ${where}. ${users} until someone starts it again; auto-restart does not start a stopped container.`;
    case 'restart':
      return `Runs docker restart on ${where}. ${users} while it restarts and reloads its model (usually under a minute).`;
  }
}

export interface CheckLine {
  text: string;
  tone: Tone;
}

/** "Deep check ok 3 min ago · 412 ms", "Deep check FAILED 2 min ago: <excerpt>", "skipped …". */
export function deepCheckLine(check: DeepCheckResult | null, now: number, maxExcerpt = 160): CheckLine {
  if (!check) return { text: 'Deep check not run yet', tone: 'muted' };
  const t = Date.parse(check.at);
  const ago = Number.isFinite(t) ? formatAge((now - t) / 1000) : 'at an unknown time';
  const ms = check.latency_ms != null ? ` · ${Math.round(check.latency_ms)} ms` : '';
  switch (check.outcome) {
    case 'ok':
      return { text: `Deep check ok ${ago}${ms}`, tone: 'ok' };
    case 'skipped':
      return {
        text: `Deep check skipped ${ago}${check.error ? `: ${excerpt(check.error, maxExcerpt)}` : ''}`,
        tone: 'muted',
      };
    case 'failed': {
      const why = check.wedge_signature ?? (check.http_status ? `HTTP ${check.http_status}` : null);
      const detail = check.error ? excerpt(check.error, maxExcerpt) : (why ?? 'no answer');
      return { text: `Deep check FAILED ${ago}: ${detail}`, tone: 'danger' };
    }
  }
}

/** One line, at most `max` characters (an error body can be a whole traceback). */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The newer of two results for the same service (the card's and the deep-health snapshot's). */
export function newerCheck(
  a: DeepCheckResult | null | undefined,
  b: DeepCheckResult | null | undefined,
): DeepCheckResult | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (!Number.isFinite(tb)) return a;
  if (!Number.isFinite(ta)) return b;
  return tb > ta ? b : a;
}

export interface RestartNotice {
  /** "Auto-restarts: 2 of 3 in 30 min", null when there were none. */
  count: string | null;
  /** "auto-restart paused: <reason>", null unless paused. */
  paused: string | null;
}

export function autoRestartNotice(info: AutoRestartInfo | null | undefined): RestartNotice {
  if (!info) return { count: null, paused: null };
  const count =
    info.restarts_in_window > 0
      ? `Auto-restarts: ${info.restarts_in_window} of ${info.max_per_window} in ${info.window_min} min`
      : null;
  const paused = info.paused ? `auto-restart paused: ${info.reason ?? 'restart budget spent'}` : null;
  return { count, paused };
}

/** "Restarted 4 times" (docker's RestartCount), null when unknown or never. */
export function restartCountText(count: number | null): string | null {
  if (count == null || count <= 0) return null;
  return count === 1 ? 'Restarted once' : `Restarted ${count} times`;
}

/** The per-file pill of the speech-model patches panel. */
export function patchStatusPill(status: PatchFileStatus): { label: string; tone: Tone } {
  switch (status) {
    case 'in_sync':
      return { label: 'in sync', tone: 'ok' };
    case 'drift':
      return { label: 'drift', tone: 'warn' };
    case 'missing':
      return { label: 'missing', tone: 'danger' };
  }
}

/** "2 of 3 files differ from what this version ships", or "all 3 files in sync". */
export function patchSummary(files: readonly { status: PatchFileStatus }[]): string {
  const off = files.filter((f) => f.status !== 'in_sync').length;
  if (files.length === 0) return 'No patch files shipped.';
  if (off === 0) return `All ${files.length} files in sync.`;
  return `${off} of ${files.length} files differ from what this version ships: Reapply copies them in.`;
}
