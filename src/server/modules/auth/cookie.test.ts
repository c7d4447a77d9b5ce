import { describe, expect, it } from 'vitest';
import { clearedCookie, sessionCookie, sessionIdFrom } from './cookie.js';

const ID = 'a'.repeat(43);

describe('session cookie', () => {
  it('finds the session among other cookies and ignores malformed values', () => {
    expect(sessionIdFrom(`theme=dark; sc_session=${ID}; x=y`)).toBe(ID);
    expect(sessionIdFrom(`sc_session=short`)).toBeNull();
    expect(sessionIdFrom(`sc_session=${ID}%00`)).toBeNull();
    expect(sessionIdFrom(`xsc_session=${ID}`)).toBeNull();
    expect(sessionIdFrom(undefined)).toBeNull();
    expect(sessionIdFrom(`sc_session=bad value; sc_session=${ID}`)).toBe(ID);
  });

  it('is HttpOnly, SameSite=Strict, Path=/ and Secure only over https', () => {
    const plain = sessionCookie(ID, { secure: false, maxAgeS: 3600 });
    expect(plain).toBe(`sc_session=${ID}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600`);
    expect(sessionCookie(ID, { secure: true, maxAgeS: 1 })).toMatch(/; Secure$/);
    expect(clearedCookie(false)).toBe('sc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
