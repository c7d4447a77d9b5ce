import { describe, expect, it } from 'vitest';
import { reopenDelay } from './useJobLog.js';

describe('reopenDelay', () => {
  it('widens the wait after each refusal in a row, up to a minute, then gives up', () => {
    expect([1, 2, 3, 4, 5, 6].map(reopenDelay)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, null]);
  });
});
