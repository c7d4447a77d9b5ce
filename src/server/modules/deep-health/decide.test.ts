import { describe, expect, it } from 'vitest';
import { autoRestartInfo, decideRestart, type RestartState } from './decide.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');
const NOW = T0 + 60 * MIN; // an hour after start: past the startup grace

const state = (o: Partial<RestartState> = {}): RestartState => ({
  policy: { enabled: true, maxRestarts: 3, windowMs: 30 * MIN, cooldownMs: 120_000, startupGraceMs: 60_000 },
  restarts: [],
  startedAt: T0,
  modelLoaded: null,
  lockHeldBy: null,
  restarting: false,
  ...o,
});

const wedged = {
  outcome: 'failed',
  wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED',
  http_status: 500,
  error: 'x',
} as const;
const http500 = { outcome: 'failed', wedge_signature: null, http_status: 500, error: 'HTTP 500' } as const;
const http503 = { outcome: 'failed', wedge_signature: null, http_status: 503, error: 'HTTP 503' } as const;
const timeout = {
  outcome: 'failed',
  wedge_signature: null,
  http_status: null,
  error: 'timed out after 20 s',
} as const;
const refused = {
  outcome: 'failed',
  wedge_signature: null,
  http_status: null,
  error: 'connection refused',
} as const;
const sig200 = {
  outcome: 'failed',
  wedge_signature: 'cudaErrorUnknown',
  http_status: 200,
  error: 'x',
} as const;
const ok = { outcome: 'ok', wedge_signature: null, http_status: 200, error: null } as const;
const skipped = {
  outcome: 'skipped',
  wedge_signature: null,
  http_status: null,
  error: 'no model loaded',
} as const;

describe('decideRestart', () => {
  it.each([
    ['a wedge signature', state(), wedged, NOW, true, null],
    ['HTTP 500 without a signature', state(), http500, NOW, true, null],
    ['a signature in a 200 answer', state(), sig200, NOW, true, null],
    ['a passing check', state(), ok, NOW, false, 'healthy'],
    ['a skipped check (vLLM idle)', state(), skipped, NOW, false, 'healthy'],
    ['a timeout alone', state(), timeout, NOW, false, 'not_wedged'],
    ['a refused connection', state(), refused, NOW, false, 'not_wedged'],
    ['HTTP 503 (a NIM loading)', state(), http503, NOW, false, 'not_wedged'],
    [
      'auto-restart turned off',
      state({ policy: { ...state().policy, enabled: false } }),
      wedged,
      NOW,
      false,
      'disabled',
    ],
    ['vLLM with no model loaded', state({ modelLoaded: false }), http500, NOW, false, 'no_model'],
    ['vLLM with a model loaded', state({ modelLoaded: true }), http500, NOW, true, null],
    ['59 s after start', state(), wedged, T0 + 59_000, false, 'startup'],
    ['60 s after start', state(), wedged, T0 + 60_000, true, null],
    ['a restart already running', state({ restarting: true }), wedged, NOW, false, 'restarting'],
    ['a job holding the container lock', state({ lockHeldBy: 'a model swap' }), wedged, NOW, false, 'locked'],
    ['119 s after the last restart', state({ restarts: [NOW - 119_000] }), wedged, NOW, false, 'cooldown'],
    ['120 s after the last restart', state({ restarts: [NOW - 120_000] }), wedged, NOW, true, null],
    [
      'two restarts in the window',
      state({ restarts: [NOW - 20 * MIN, NOW - 10 * MIN] }),
      wedged,
      NOW,
      true,
      null,
    ],
    [
      'three restarts in the window',
      state({ restarts: [NOW - 20 * MIN, NOW - 10 * MIN, NOW - 5 * MIN] }),
      wedged,
      NOW,
      false,
      'budget',
    ],
    [
      'the oldest of three just left the window',
      state({ restarts: [NOW - 30 * MIN, NOW - 10 * MIN, NOW - 5 * MIN] }),
      wedged,
      NOW,
      true,
      null,
    ],
    [
      'budget spent beats cooldown',
      state({ restarts: [NOW - 3 * MIN, NOW - 2 * MIN, NOW - 1 * MIN] }),
      wedged,
      NOW,
      false,
      'budget',
    ],
    [
      'restarts from the future (clock went back) are not counted',
      state({ restarts: [NOW + MIN] }),
      wedged,
      NOW,
      true,
      null,
    ],
  ])('%s', (_name, s, probe, now, restart, code) => {
    const d = decideRestart(s, probe, now);
    expect(d.restart).toBe(restart);
    if (!d.restart) expect(d.code).toBe(code);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it('names the cause of a restart and the budget in a refusal', () => {
    expect(decideRestart(state(), wedged, NOW).reason).toBe('wedge signature CUBLAS_STATUS_EXECUTION_FAILED');
    expect(decideRestart(state(), http500, NOW).reason).toBe('HTTP 500');
    const spent = state({ restarts: [NOW - 3 * MIN, NOW - 2 * MIN, NOW - MIN] });
    expect(decideRestart(spent, wedged, NOW).reason).toMatch(
      /3 automatic restarts in the last 30 min.*paused/,
    );
  });
});

describe('autoRestartInfo', () => {
  it('is quiet with no restarts after the grace', () => {
    expect(autoRestartInfo(state(), NOW)).toEqual({
      restarts_in_window: 0,
      max_per_window: 3,
      window_min: 30,
      last_restart_at: null,
      paused: false,
      reason: null,
      next_allowed_at: null,
    });
  });

  it('says when the startup grace ends', () => {
    expect(autoRestartInfo(state(), T0 + 10_000).next_allowed_at).toBe(new Date(T0 + 60_000).toISOString());
  });

  it('says when the cooldown ends', () => {
    const info = autoRestartInfo(state({ restarts: [NOW - 20_000] }), NOW);
    expect(info).toMatchObject({
      restarts_in_window: 1,
      paused: false,
      next_allowed_at: new Date(NOW + 100_000).toISOString(),
    });
  });

  it('is paused when the budget is spent, until the oldest restart leaves the window', () => {
    const s = state({ restarts: [NOW - 20 * MIN, NOW - 10 * MIN, NOW - 5 * MIN] });
    const info = autoRestartInfo(s, NOW);
    expect(info.paused).toBe(true);
    expect(info.reason).toMatch(/paused/);
    expect(info.next_allowed_at).toBe(new Date(NOW + 10 * MIN).toISOString());
    expect(info.last_restart_at).toBe(new Date(NOW - 5 * MIN).toISOString());
    expect(autoRestartInfo(s, NOW + 10 * MIN).paused).toBe(false);
  });

  it('says auto-restart is off without calling it paused', () => {
    const info = autoRestartInfo(state({ policy: { ...state().policy, enabled: false } }), NOW);
    expect(info).toMatchObject({ paused: false, next_allowed_at: null });
    expect(info.reason).toMatch(/off/);
  });
});
