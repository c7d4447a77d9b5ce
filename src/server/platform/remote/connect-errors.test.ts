import { describe, expect, it } from 'vitest';
import { failureState } from './connect-errors.js';

const ctx = {
  user: 'alice',
  host: 'spark1.local',
  port: 22,
  probeTimeoutMs: 6000,
  since: 1,
  retryAt: 25_001,
};
const err = (message: string, extra: { code?: string; level?: string } = {}) =>
  Object.assign(new Error(message), extra);
const plain = { mismatch: null, verifyError: null };

describe('failureState', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused (is sshd listening on port 22?)'],
    ['EHOSTUNREACH', 'host unreachable (is it powered on and on the network?)'],
    ['ENOTFOUND', 'host name spark1.local not found'],
    ['ECONNRESET', 'connection reset by the host'],
  ])('explains %s', (code, text) => {
    expect(failureState({ ...plain, err: err('raw', { code }) }, ctx)).toEqual({
      state: 'unreachable',
      error: `cannot connect: ${text}`,
      since: 1,
      retry_at: 25_001,
    });
  });

  it('explains a handshake timeout, auth failure and a changed host key', () => {
    const timeout = err('Timed out while waiting for handshake', { level: 'client-timeout' });
    expect(failureState({ ...plain, err: timeout }, ctx).error).toBe(
      'cannot connect: no SSH answer within 6 s',
    );
    const auth = err('All configured authentication methods failed', { level: 'client-authentication' });
    expect(failureState({ ...plain, err: auth }, ctx)).toMatchObject({
      state: 'auth_failed',
      error: expect.stringContaining('public key is not authorized on alice@spark1.local'),
    });
    const changed = failureState(
      {
        ...plain,
        err: err('Host denied'),
        mismatch: { mismatch: true, expected: 'SHA256:a', presented: 'SHA256:b' },
      },
      ctx,
    );
    expect(changed).toEqual({
      state: 'host_key_changed',
      error: expect.stringMatching(/host key changed \(pinned SHA256:a, presented SHA256:b\).*re-trust/),
      since: 1,
      expected: 'SHA256:a',
      presented: 'SHA256:b',
    });
  });
});
