import { describe, expect, it } from 'vitest';
import type { DockerState, HttpHealth } from '../../../common/services-api.js';
import { classifyHealth, type HealthProbe, modelsFrom } from './http-health.js';

const asr = { kind: 'asr', api: 'parakeet-app', health_path: '/health', port: 8000 } as const;
const nim = { kind: 'tts', api: 'nim', health_path: '/v1/health/ready', port: 9000 } as const;
const bot = { kind: 'bot', api: null, health_path: null, port: null } as const;
const other = { kind: 'custom', api: null, health_path: null, port: 7000 } as const;
const ok: HealthProbe = { kind: 'answer', status: 200, body: {} };
const s503: HealthProbe = { kind: 'answer', status: 503, body: null };
const s500: HealthProbe = { kind: 'answer', status: 500, body: null };
const refused: HealthProbe = { kind: 'error', code: 'ECONNREFUSED' };
const timeout: HealthProbe = { kind: 'timeout' };

describe('classifyHealth', () => {
  it.each<
    [
      string,
      typeof asr | typeof nim | typeof bot | typeof other,
      DockerState,
      number | null,
      HealthProbe | null,
      HttpHealth | null,
    ]
  >([
    ['bot: no HTTP health at all', bot, 'running', 100, null, null],
    ['no health path', other, 'running', 100, ok, 'not configured'],
    ['200 → healthy', asr, 'running', 100, ok, 'healthy'],
    ['NIM 503 just after start → starting', nim, 'running', 5, s503, 'starting'],
    ['NIM 503 long after start → unhealthy', nim, 'running', 900, s503, 'unhealthy'],
    ['NIM 503 with unknown start → unhealthy', nim, 'running', null, s503, 'unhealthy'],
    ['500 → unhealthy', asr, 'running', 5, s500, 'unhealthy'],
    ['timeout → unknown, never healthy', asr, 'running', 100, timeout, 'unknown'],
    ['refused right after start → starting', asr, 'running', 3, refused, 'starting'],
    ['refused long after start → unhealthy', asr, 'running', 900, refused, 'unhealthy'],
    [
      'other network error → unknown',
      asr,
      'running',
      900,
      { kind: 'error', code: 'EHOSTUNREACH' },
      'unknown',
    ],
    ['container exited → unhealthy', asr, 'exited', null, null, 'unhealthy'],
    ['container missing → unhealthy', nim, 'missing', null, null, 'unhealthy'],
    ['docker restarting → starting', nim, 'restarting', null, null, 'starting'],
    ['node unknown → unknown', asr, 'unknown', null, null, 'unknown'],
    ['running but not probed → unknown', asr, 'running', 100, null, 'unknown'],
  ])('%s', (_, def, docker, runningForS, probe, want) => {
    expect(classifyHealth({ def, docker, runningForS, probe, startGraceS: 60 })).toBe(want);
  });
});

describe('modelsFrom', () => {
  it('reads the Parakeet app’s models map and a NIM’s /v1/models list', () => {
    expect(
      modelsFrom({ status: 'ok', models: { asr: 'nvidia/parakeet-tdt-0.6b-v2', diarization: 'd' } }),
    ).toEqual(['nvidia/parakeet-tdt-0.6b-v2', 'd']);
    expect(modelsFrom({ object: 'list', data: [{ id: 'magpie' }, { id: 3 }, null] })).toEqual(['magpie']);
    expect(modelsFrom('nope')).toEqual([]);
    expect(modelsFrom({ models: ['a', 'a', 5] })).toEqual(['a']);
  });
});
