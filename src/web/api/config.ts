// The settings page's endpoints (SPEC §1, src/common/config-api.ts): read the settings, save
// them (a refused document comes back with every problem, not as a thrown error), restart the
// server and wait for it to come back.
import type {
  ConfigSaved,
  ConfigView,
  RestartAccepted,
  SettingsDocument,
  SettingsProblem,
} from '../../common/config-api.js';
import { ApiError, apiRequest } from './client.js';

export const configKey = ['config'] as const;

export const getConfig = (signal?: AbortSignal) => apiRequest<ConfigView>('/api/config', { signal });

export type SaveOutcome =
  { ok: true; saved: ConfigSaved } | { ok: false; message: string; problems: SettingsProblem[] };

function problemsOf(details: unknown): SettingsProblem[] | null {
  if (!Array.isArray(details)) return null;
  return details.filter(
    (p): p is SettingsProblem =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as SettingsProblem).path === 'string' &&
      typeof (p as SettingsProblem).message === 'string',
  );
}

/** Reads a refused PUT's body: `{error: {code: 'CONFIG_INVALID', message, problems}}`. */
export function refusalOf(status: number, body: unknown): SaveOutcome | null {
  if (status !== 400 || typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; message?: unknown; problems?: unknown };
  const problems = problemsOf(e.problems);
  if (e.code !== 'CONFIG_INVALID' || !problems) return null;
  return {
    ok: false,
    message: typeof e.message === 'string' ? e.message : 'The settings were not saved.',
    problems,
  };
}

/**
 * PUT /api/config, based on the file revision the page loaded (a file changed since is refused:
 * ApiError 409 CONFIG_CHANGED). A 400 CONFIG_INVALID answer is an outcome (the problems go beside
 * their fields); any other failure throws an ApiError with the server's message.
 */
export async function saveConfig(settings: SettingsDocument, revision?: string): Promise<SaveOutcome> {
  let res: Response;
  try {
    res = await fetch('/api/config', {
      method: 'PUT',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings, revision }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the Spark Control server.');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = undefined;
  }
  if (res.ok) return { ok: true, saved: body as ConfigSaved };
  const refused = refusalOf(res.status, body);
  if (refused) return refused;
  const error = (body as { error?: { code?: string; message?: string } } | null | undefined)?.error;
  throw new ApiError(
    res.status,
    error?.code ?? `HTTP_${res.status}`,
    error?.message ?? `Saving failed (HTTP ${res.status}).`,
  );
}

export const requestRestart = () => apiRequest<RestartAccepted>('/api/restart', { method: 'POST' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * After POST /api/restart: polls GET /api/config until the restarted server answers. It is back
 * when it answers after having been unreachable, or answers with no restart pending any more (a
 * restart quicker than one poll is never seen down). Resolves with the fresh view.
 */
export async function waitForRestart(
  opts: { timeoutMs?: number; everyMs?: number; signal?: AbortSignal } = {},
): Promise<ConfigView> {
  const { timeoutMs = 120_000, everyMs = 1_000, signal } = opts;
  const deadline = Date.now() + timeoutMs;
  let wentDown = false;
  while (Date.now() < deadline) {
    await sleep(everyMs);
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    try {
      const view = await getConfig(signal);
      if (wentDown || !view.restart_pending) return view;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      wentDown = true;
    }
  }
  throw new ApiError(0, 'RESTART_TIMEOUT', 'The server has not come back yet; reload the page in a moment.');
}
