import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../common/api.js';
import type { DeepCheckResult, DockerState, ServiceAction } from '../../common/services-api.js';
import {
  actionAvailability,
  actionConfirmText,
  autoRestartNotice,
  deepCheckLine,
  excerpt,
  newerCheck,
  patchStatusPill,
  patchSummary,
  restartCountText,
  statusPill,
} from './services.js';

const NOW = Date.parse('2026-03-04T12:00:00Z');
const check = (over: Partial<DeepCheckResult>): DeepCheckResult => ({
  service: 'parakeet',
  outcome: 'ok',
  at: '2026-03-04T11:57:00Z',
  latency_ms: 412,
  error: null,
  wedge_signature: null,
  http_status: 200,
  trigger: 'schedule',
  ...over,
});
const job = (state: JobInfo['state']): JobInfo => ({
  id: 'j1',
  kind: 'service-restart',
  state,
  phase: '',
  progress: null,
  error: null,
  started_at: '2026-03-04T11:59:00Z',
  finished_at: null,
  locks: [],
  meta: {},
});

describe('statusPill', () => {
  it('is green only for a running container whose health says healthy', () => {
    expect(
      statusPill({ kind: 'asr', docker_state: 'running', health: 'healthy', error: null }),
    ).toMatchObject({
      label: 'healthy',
      tone: 'ok',
    });
    expect(statusPill({ kind: 'asr', docker_state: 'running', health: 'unhealthy', error: null }).tone).toBe(
      'danger',
    );
    expect(statusPill({ kind: 'tts', docker_state: 'running', health: 'starting', error: null }).tone).toBe(
      'warn',
    );
    expect(
      statusPill({ kind: 'tts', docker_state: 'running', health: 'unknown', error: null }).tone,
    ).not.toBe('ok');
  });
  it('says unknown (never green) with the node error when the node did not answer', () => {
    const p = statusPill({
      kind: 'asr',
      docker_state: 'unknown',
      health: 'healthy',
      error: 'ssh: timed out',
    });
    expect(p).toEqual({ label: 'unknown', tone: 'muted', title: 'ssh: timed out' });
  });
  it('shows docker state only for bots', () => {
    expect(statusPill({ kind: 'bot', docker_state: 'running', health: null, error: null })).toMatchObject({
      label: 'running',
      tone: 'ok',
    });
    expect(statusPill({ kind: 'bot', docker_state: 'exited', health: null, error: null }).label).toBe(
      'stopped',
    );
  });
  it('names a missing container and a restarting one', () => {
    expect(statusPill({ kind: 'nim', docker_state: 'missing', health: null, error: null }).tone).toBe(
      'danger',
    );
    expect(
      statusPill({ kind: 'nim', docker_state: 'restarting', health: 'healthy', error: null }).label,
    ).toBe('restarting');
  });
});

describe('actionAvailability', () => {
  const table: [DockerState, ServiceAction, boolean][] = [
    ['running', 'start', false],
    ['running', 'stop', true],
    ['running', 'restart', true],
    ['exited', 'start', true],
    ['exited', 'stop', false],
    ['exited', 'restart', false],
    ['restarting', 'restart', false],
    ['restarting', 'stop', true],
    ['paused', 'restart', true],
    ['missing', 'start', false],
    ['missing', 'stop', false],
    ['unknown', 'restart', false],
    ['unknown', 'stop', false],
    ['unknown', 'start', false],
  ];
  it.each(table)('%s → %s enabled=%s', (state, action, enabled) => {
    const a = actionAvailability({ docker_state: state, job: null }, action);
    expect(a.enabled).toBe(enabled);
    expect(a.reason === null).toBe(enabled);
  });
  it('disables every action while a job runs on the container, and not after it ended', () => {
    for (const action of ['start', 'stop', 'restart'] as const) {
      expect(actionAvailability({ docker_state: 'running', job: job('running') }, action).reason).toMatch(
        /service-restart job is running/,
      );
    }
    expect(actionAvailability({ docker_state: 'running', job: job('failed') }, 'restart').enabled).toBe(true);
  });
});

describe('actionConfirmText', () => {
  it('names the command, container and node, and what users notice', () => {
    const s = { name: 'parakeet', container: 'parakeet-asr', node: 'spark2', kind: 'asr' as const };
    expect(actionConfirmText(s, 'restart')).toMatch(/docker restart on container parakeet-asr on spark2/);
    expect(actionConfirmText(s, 'stop')).toMatch(/Requests to it fail until someone starts it again/);
    expect(actionConfirmText({ ...s, kind: 'bot' }, 'stop')).toMatch(/bot is offline/);
  });
});

describe('deepCheckLine', () => {
  it('says ok, age and latency', () => {
    expect(deepCheckLine(check({}), NOW)).toEqual({ text: 'Deep check ok 3 min ago · 412 ms', tone: 'ok' });
  });
  it('says FAILED with an excerpt of the error', () => {
    const line = deepCheckLine(
      check({
        outcome: 'failed',
        at: '2026-03-04T11:58:00Z',
        error: 'HTTP 500:\n  cudaErrorUnknown   in kernel',
        http_status: 500,
      }),
      NOW,
    );
    expect(line).toEqual({
      text: 'Deep check FAILED 2 min ago: HTTP 500: cudaErrorUnknown in kernel',
      tone: 'danger',
    });
  });
  it('falls back to the wedge signature or HTTP status, and cuts long errors', () => {
    expect(
      deepCheckLine(check({ outcome: 'failed', error: null, wedge_signature: 'CUFFT_INTERNAL_ERROR' }), NOW)
        .text,
    ).toMatch(/: CUFFT_INTERNAL_ERROR$/);
    expect(deepCheckLine(check({ outcome: 'failed', error: null, http_status: 503 }), NOW).text).toMatch(
      /: HTTP 503$/,
    );
    const long = deepCheckLine(check({ outcome: 'failed', error: 'x'.repeat(500) }), NOW, 40).text;
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThan(80);
  });
  it('treats skipped as informational and a missing check as not run', () => {
    expect(
      deepCheckLine(check({ outcome: 'skipped', error: 'no model loaded', latency_ms: null }), NOW),
    ).toEqual({
      text: 'Deep check skipped 3 min ago: no model loaded',
      tone: 'muted',
    });
    expect(deepCheckLine(null, NOW).text).toBe('Deep check not run yet');
  });
});

describe('newerCheck', () => {
  it('keeps the later result and tolerates missing ones', () => {
    const a = check({ at: '2026-03-04T11:00:00Z' });
    const b = check({ at: '2026-03-04T11:30:00Z', outcome: 'failed' });
    expect(newerCheck(a, b)).toBe(b);
    expect(newerCheck(b, a)).toBe(b);
    expect(newerCheck(null, a)).toBe(a);
    expect(newerCheck(a, undefined)).toBe(a);
    expect(newerCheck(null, null)).toBeNull();
  });
});

describe('autoRestartNotice', () => {
  const info = {
    restarts_in_window: 0,
    max_per_window: 3,
    window_min: 30,
    last_restart_at: null,
    paused: false,
    reason: null,
    next_allowed_at: null,
  };
  it('is silent with no restarts and counts them otherwise', () => {
    expect(autoRestartNotice(info)).toEqual({ count: null, paused: null });
    expect(autoRestartNotice({ ...info, restarts_in_window: 2 }).count).toBe(
      'Auto-restarts: 2 of 3 in 30 min',
    );
    expect(autoRestartNotice(null)).toEqual({ count: null, paused: null });
  });
  it('says paused and why', () => {
    const n = autoRestartNotice({
      ...info,
      restarts_in_window: 3,
      paused: true,
      reason: '3 restarts in 30 min',
    });
    expect(n.paused).toBe('auto-restart paused: 3 restarts in 30 min');
  });
});

describe('small texts', () => {
  it('restartCountText and excerpt', () => {
    expect(restartCountText(null)).toBeNull();
    expect(restartCountText(0)).toBeNull();
    expect(restartCountText(1)).toBe('Restarted once');
    expect(restartCountText(7)).toBe('Restarted 7 times');
    expect(excerpt('  a\n\tb  ', 10)).toBe('a b');
  });
});

describe('patches', () => {
  it('colours each file status and sums them up', () => {
    expect(patchStatusPill('in_sync')).toEqual({ label: 'in sync', tone: 'ok' });
    expect(patchStatusPill('drift').tone).toBe('warn');
    expect(patchStatusPill('missing').tone).toBe('danger');
    expect(patchSummary([{ status: 'in_sync' }, { status: 'in_sync' }])).toBe('All 2 files in sync.');
    expect(patchSummary([{ status: 'in_sync' }, { status: 'drift' }, { status: 'missing' }])).toMatch(
      /^2 of 3 files differ/,
    );
    expect(patchSummary([])).toBe('No patch files shipped.');
  });
});
