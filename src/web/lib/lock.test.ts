import { describe, expect, it } from 'vitest';
import { activeLock, lockSentence } from './lock.js';

const lock = {
  holder: 'nightly-eval',
  reason: 'benchmarks',
  acquired_at: '2025-03-04T10:00:00Z',
  expires_at: '2025-03-04T12:00:00Z',
};

describe('activeLock', () => {
  it('returns the lock while it is held', () => {
    expect(activeLock({ locked: true, lock }, Date.parse('2025-03-04T11:00:00Z'))).toBe(lock);
  });
  it('ignores an expired or absent lock', () => {
    expect(activeLock({ locked: true, lock }, Date.parse('2025-03-04T12:00:01Z'))).toBeNull();
    expect(activeLock({ locked: false, lock: null }, 0)).toBeNull();
    expect(activeLock(undefined, 0)).toBeNull();
  });
});

describe('lockSentence', () => {
  it('names the holder, the reason and the local expiry, never an ISO string', () => {
    const text = lockSentence(lock, Date.parse('2025-03-04T11:00:00Z'));
    expect(text).toMatch(/^The GPU is locked by nightly-eval \(benchmarks\) until .+; switches are refused/);
    expect(text).not.toMatch(/2025-03-04T/);
  });
});
