import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../../platform/store/db.js';
import { hashPasswordSync } from './password.js';
import { AdminAuth, isLoopbackHost } from './service.js';
import { SessionStore } from './store.js';

const HASH = hashPasswordSync('right password', { N: 2 ** 14, r: 8, p: 1 });

describe('AdminAuth', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-auth-svc-'));
    db = openStore(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const make = (
    auth: Partial<ConstructorParameters<typeof AdminAuth>[0]['auth']> = {},
    listenHost = '0.0.0.0',
  ) => {
    const full = { admin_password_hash: null, admin_tokens: [], session_hours: 1, ...auth };
    return new AdminAuth({
      auth: full,
      listenHost,
      sessions: new SessionStore(db, full.admin_password_hash ?? ''),
    });
  };

  it('answers every one of many simultaneous logins, a few checks at a time', async () => {
    const auth = make({ admin_password_hash: HASH });
    const tries = [
      'right password',
      'wrong',
      'right password',
      'wrong',
      'right password',
      'wrong',
      'right password',
    ];
    const ids = await Promise.all(tries.map((p) => auth.login(p)));
    expect(ids.map((id) => id !== null)).toEqual(tries.map((p) => p === 'right password'));
    expect(new Set(ids.filter(Boolean)).size).toBe(4);
    for (const id of ids.filter((x): x is string => x !== null))
      expect(auth.identify({ cookie: `sc_session=${id}` })).toEqual({ method: 'session' });
  });

  it('knows tokens by name and nothing else', () => {
    const auth = make({ admin_tokens: [{ name: 'cron', token: 'cron-token-0123456789' }] });
    expect(auth.enabled).toBe(true);
    expect(auth.passwordConfigured).toBe(false);
    expect(auth.identify({ authorization: 'Bearer cron-token-0123456789' })).toEqual({
      method: 'token',
      name: 'cron',
    });
    expect(auth.identify({ authorization: 'Bearer cron-token-012345678' })).toBeNull();
    expect(auth.identify({ authorization: 'Basic cron-token-0123456789' })).toBeNull();
    expect(auth.identify({})).toBeNull();
  });

  it('warns only when off and reachable beyond loopback', () => {
    expect(make({}, '0.0.0.0').warning()).toContain('0.0.0.0');
    expect(make({}, '127.0.0.1').warning()).toBeNull();
    expect(make({ admin_password_hash: HASH }, '0.0.0.0').warning()).toBeNull();
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.0.2.5', 'spark1.local', '127.0.0.1.evil.example'])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});
