import { describe, expect, it } from 'vitest';
import { redactor } from './redact.js';

const KEY = 'nvapi-AbC123_secret-KEY';

describe('redactor', () => {
  it('masks every occurrence of the key and its base64 forms', () => {
    const r = redactor([KEY]);
    expect(r(`login with ${KEY} and ${KEY}!`)).toBe('login with [redacted] and [redacted]!');
    const auth = Buffer.from(`$oauthtoken:${KEY}`).toString('base64');
    expect(r(`"auth": "${auth}"`)).not.toContain(auth.slice(0, 20));
    // Padding is left: what matters is that no character of the encoded key remains.
    expect(r(Buffer.from(KEY).toString('base64'))).toMatch(/^\[redacted\]=*$/);
  });

  it('leaves lines without secrets alone and ignores empty or tiny secrets', () => {
    const r = redactor([null, undefined, '', 'ab', KEY]);
    expect(r('ab cd: Pull complete')).toBe('ab cd: Pull complete');
  });

  it('masks a longer secret whole even when it contains a shorter one', () => {
    const r = redactor(['secret-one', 'secret-one-two']);
    expect(r('x secret-one-two y')).toBe('x [redacted] y');
  });
});
