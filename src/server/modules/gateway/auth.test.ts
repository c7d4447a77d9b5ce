import { describe, expect, it } from 'vitest';
import { ApiKeys, bearerToken } from './auth.js';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, scheme in any case', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('BEARER a:b/c=')).toBe('a:b/c=');
  });

  it('returns null for anything else', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'abc', 'Bearer a b']) {
      expect(bearerToken(h)).toBeNull();
    }
  });
});

describe('ApiKeys', () => {
  const keys = new ApiKeys([
    { name: 'cron', key: 'secret1' },
    { name: 'webui', key: 'a-much-longer-secret-2' },
  ]);

  it('lets everyone in as anonymous when no key is configured', () => {
    const open = new ApiKeys([]);
    expect(open.required).toBe(false);
    expect(open.check(undefined)).toEqual({ ok: true, name: 'anonymous' });
    expect(open.check('Bearer whatever')).toEqual({ ok: true, name: 'anonymous' });
  });

  it('names the client whose key matches', () => {
    expect(keys.required).toBe(true);
    expect(keys.names).toEqual(['cron', 'webui']);
    expect(keys.check('Bearer secret1')).toEqual({ ok: true, name: 'cron' });
    expect(keys.check('Bearer a-much-longer-secret-2')).toEqual({ ok: true, name: 'webui' });
  });

  it('refuses a missing, wrong, prefixed or extended key', () => {
    expect(keys.check(undefined)).toEqual({ ok: false, name: 'anonymous', reason: 'missing' });
    expect(keys.check('Basic secret1')).toEqual({ ok: false, name: 'anonymous', reason: 'missing' });
    for (const wrong of ['secret', 'secret12', 'Secret1', 'a-much-longer-secret-', 'x']) {
      expect(keys.check(`Bearer ${wrong}`)).toEqual({ ok: false, name: 'anonymous', reason: 'invalid' });
    }
  });

  it('never exposes a key through its own fields', () => {
    expect(JSON.stringify(keys)).not.toMatch(/secret/);
  });
});
