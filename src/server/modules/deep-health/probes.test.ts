import { describe, expect, it } from 'vitest';
import type { VllmStatus } from '../../../common/api.js';
import { failure, judge, ProbeTimeout, SILENCE_WAV, vllmSkipReason } from './probes.js';

const answer = (status: number, body: string | Buffer) => ({
  status,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  ms: 42,
});

describe('judge', () => {
  it.each([
    [200, '{"text":""}', true, 'ok', null],
    [200, '{"detail":"CUBLAS_STATUS_EXECUTION_FAILED"}', true, 'failed', 'CUBLAS_STATUS_EXECUTION_FAILED'],
    [
      500,
      '{"detail":"Transcription failed: CUBLAS_STATUS_INTERNAL_ERROR"}',
      true,
      'failed',
      'CUBLAS_STATUS_INTERNAL_ERROR',
    ],
    [500, 'Internal Server Error', true, 'failed', null],
    [503, '{"status":"not ready"}', false, 'failed', null],
    [400, '{"error":"Bad Request, empty text input"}', false, 'failed', null],
    // Audio is not scanned: a WAV's bytes could spell anything.
    [200, 'RIFF....cudaErrorUnknown', false, 'ok', null],
  ] as const)('HTTP %i %s → %s', (status, body, text, outcome, sig) => {
    const r = judge(answer(status, body), text);
    expect(r.outcome).toBe(outcome);
    expect(r.wedge_signature).toBe(sig);
    expect(r.http_status).toBe(status);
    expect(r.latency_ms).toBe(42);
    if (outcome === 'ok') expect(r.error).toBeNull();
    else expect(r.error).toMatch(new RegExp(`^HTTP ${status}`));
  });

  it('keeps an excerpt of an unpredicted error on one line', () => {
    const body = `Traceback (most recent call last):\n  File "x.py"\n${'noise '.repeat(200)}`;
    const r = judge(answer(502, body), true);
    expect(r.error).toMatch(/^HTTP 502: Traceback \(most recent call last\): File "x.py" noise/);
    expect(r.error!.length).toBeLessThanOrEqual(310);
    expect(r.error).not.toContain('\n');
  });
});

describe('failure', () => {
  it('says timeout apart from connection errors', () => {
    expect(failure(new ProbeTimeout('no answer within 20 s'))).toEqual({
      outcome: 'failed',
      latency_ms: null,
      http_status: null,
      wedge_signature: null,
      error: 'no answer within 20 s',
    });
    const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(failure(refused).error).toBe('connection failed (ECONNREFUSED)');
    expect(failure(new Error('something odd')).error).toBe('connection failed (something odd)');
  });
});

describe('vllmSkipReason', () => {
  const v = (o: Partial<VllmStatus>): VllmStatus => ({
    ok: true,
    state: 'loaded',
    base_url: 'http://127.0.0.1:8888/v1',
    model: 'm',
    models: ['m'],
    note: null,
    error: null,
    ...o,
  });
  it.each([
    [v({}), null],
    [v({ state: 'idle', model: null }), 'no model loaded (idle)'],
    [v({ state: 'loading', model: null }), 'a model is loading'],
    [v({ state: 'unknown', model: null, error: 'no answer in 3 s' }), 'vLLM state unknown: no answer in 3 s'],
    [v({ state: 'unreachable', model: null }), 'vLLM state unreachable'],
  ])('%o → %s', (status, why) => {
    expect(vllmSkipReason(status)).toBe(why);
  });
});

describe('SILENCE_WAV', () => {
  it('is one second of 16 kHz mono PCM16 silence', () => {
    const wav = SILENCE_WAV();
    expect(wav.length).toBe(44 + 32_000);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.subarray(44).every((b) => b === 0)).toBe(true);
  });
});
