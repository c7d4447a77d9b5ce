import { describe, expect, it } from 'vitest';
import { classifyVllm, type VllmContext, type VllmProbe } from './vllm-state.js';

const ctx = (o: Partial<VllmContext> = {}): VllmContext => ({
  base_url: 'http://192.0.2.1:8888/v1',
  headDown: false,
  swapping: false,
  timeoutMs: 3000,
  ...o,
});
const answer = (models: string[], status = 200): VllmProbe => ({ kind: 'answer', status, models });
const error = (code: string | undefined): VllmProbe => ({ kind: 'error', code });

describe('classifyVllm', () => {
  it('is loaded only with a listed model, idle only when the host answered with nothing', () => {
    expect(classifyVllm(answer(['m1', 'm2']), ctx())).toMatchObject({
      state: 'loaded',
      ok: true,
      model: 'm1',
    });
    expect(classifyVllm(answer([]), ctx())).toMatchObject({ state: 'idle', ok: true, model: null });
    expect(classifyVllm(error('ECONNREFUSED'), ctx())).toMatchObject({
      state: 'idle',
      ok: true,
      note: /not running/,
    });
  });

  it('never calls a timeout or an unexpected error idle', () => {
    for (const code of [
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
      'ETIMEDOUT',
      'ECONNRESET',
      'EPIPE',
      undefined,
    ]) {
      const s = classifyVllm(error(code), ctx());
      expect(s.state, String(code)).toBe('unknown');
      expect(s.ok).toBe(false);
      expect(s.model).toBeNull();
      expect(s.error).toBeTruthy();
    }
    expect(classifyVllm(error('UND_ERR_HEADERS_TIMEOUT'), ctx()).error).toMatch(/within 3 s/);
    expect(classifyVllm(answer([], 503), ctx())).toMatchObject({
      state: 'unknown',
      error: 'vLLM answered HTTP 503',
    });
  });

  it('says unreachable when the host or the head node is down, whatever the port said', () => {
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT'])
      expect(classifyVllm(error(code), ctx()).state, code).toBe('unreachable');
    for (const probe of [error('ECONNREFUSED'), answer([]), answer(['m'])]) {
      expect(classifyVllm(probe, ctx({ headDown: true }))).toMatchObject({
        state: 'unreachable',
        ok: false,
        model: null,
      });
    }
  });

  it('calls a refused port idle only when the head node answered a fresh check', () => {
    expect(classifyVllm(error('ECONNREFUSED'), ctx({ headAnswers: true })).state).toBe('idle');
    expect(classifyVllm(error('ECONNREFUSED'), ctx({ headAnswers: false }))).toMatchObject({
      state: 'unreachable',
      ok: false,
    });
    expect(classifyVllm(error('ECONNREFUSED'), ctx({ headAnswers: null }))).toMatchObject({
      state: 'unknown',
      ok: false,
      error: /did not answer/,
    });
    // A swap does not turn a down head into "loading".
    expect(classifyVllm(error('ECONNREFUSED'), ctx({ headAnswers: false, swapping: true })).state).toBe(
      'unreachable',
    );
  });

  it('is loading while a swap runs and vLLM is empty or not up yet', () => {
    for (const probe of [error('ECONNREFUSED'), answer([]), answer([], 503)])
      expect(classifyVllm(probe, ctx({ swapping: true })).state).toBe('loading');
    expect(classifyVllm(answer(['m']), ctx({ swapping: true })).state).toBe('loaded');
    expect(classifyVllm(error('UND_ERR_HEADERS_TIMEOUT'), ctx({ swapping: true })).state).toBe('unknown');
  });
});
