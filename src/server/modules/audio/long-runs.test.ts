import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../test/helpers/unit.js';
import { LongRuns } from './long-runs.js';

describe('LongRuns', () => {
  it('admits up to the limit, then refuses with 503 + Retry-After naming the setting', () => {
    const runs = new LongRuns({ limit: 2, retryAfterS: 45 });
    runs.admit();
    runs.admit();
    const err = caughtAppError(() => runs.admit());
    expect(err.status).toBe(503);
    expect(err.headers?.['retry-after']).toBe('45');
    expect(err.message).toMatch(/audio\.max_long_runs\) is 2/);
    expect(runs.admitted).toBe(2);
  });

  it('frees a place when a run ends, once however often its release is called', () => {
    const runs = new LongRuns({ limit: 1 });
    const leave = runs.admit();
    leave();
    leave();
    expect(runs.admitted).toBe(0);
    runs.admit();
    expect(() => runs.admit()).toThrow(/max_long_runs/);
  });
});
