// Optional admin auth (SPEC §14) end to end on the simulator: sessions, admin tokens, the
// data plane left to gateway keys, rate-limited login, and the warning when auth is off.
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthSessionResponse } from '../../src/common/api.js';
import { hashPasswordSync } from '../../src/server/modules/auth/password.js';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../../src/server/modules/auth/routes.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const PASSWORD = 'correct horse battery staple';
const ADMIN_TOKEN = 'adm-0123456789abcdef0123456789';
const GATEWAY_KEY = 'gw-0123456789abcdef0123456789';
const FAST_HASH = hashPasswordSync(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

describe('admin auth on', () => {
  let c: TestCluster;
  const call = async (
    method: string,
    path: string,
    o: { headers?: Record<string, string>; json?: unknown; from?: string } = {},
  ): Promise<Res> => {
    const res = await request(`${c.url}${path}`, {
      method: method as 'GET',
      dispatcher: o.from ? clientAt(o.from) : undefined,
      headers: { ...(o.json === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers },
      body: o.json === undefined ? undefined : JSON.stringify(o.json),
    });
    if (String(res.headers['content-type']).includes('text/event-stream')) {
      res.body.destroy();
      return { status: res.statusCode, headers: res.headers, json: null };
    }
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : null };
  };
  // Other loopback source addresses stand for other clients (the login limit is per address).
  const agents = new Map<string, Agent>();
  const clientAt = (address: string) => {
    if (!agents.has(address)) agents.set(address, new Agent({ localAddress: address }));
    return agents.get(address)!;
  };
  const login = (password: string, headers: Record<string, string> = {}, from?: string) =>
    call('POST', '/api/auth/login', { json: { password }, headers: { origin: c.url, ...headers }, from });
  const cookieOf = (r: Res) => String(r.headers['set-cookie']).split(';')[0]!;

  beforeAll(async () => {
    c = await startTestCluster({
      startSamplers: false,
      env: {
        ADMIN_PASSWORD_HASH: FAST_HASH,
        ADMIN_TOKENS: `cli:${ADMIN_TOKEN}`,
        GATEWAY_API_KEYS: `app:${GATEWAY_KEY}`,
        TRUSTED_ORIGINS: 'https://proxy.example.net',
      },
    });
  });
  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.close()));
    await c?.close();
  });

  it('says auth is on and nobody is signed in', async () => {
    const r = await call('GET', '/api/auth/session');
    expect(r.json).toEqual({ auth_enabled: true, authenticated: false, method: null, warning: null });
  });

  it('refuses control routes, dashboard reads, the event stream and the API document without credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/hardware'],
      ['GET', '/api/meta'],
      ['GET', '/api/events'],
      ['GET', '/docs/json'],
      ['GET', '/%61pi/hardware'],
      ['POST', '/api/sim/nodes/spark2/down'],
      ['POST', '/api/ssh/retrust/spark1'],
      ['POST', '/api/swap/gpt-oss-120b/validate'],
    ]) {
      const r = await call(method!, path!);
      expect({ path, status: r.status, code: (r.json as { error: { code: string } }).error.code }).toEqual({
        path,
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
    expect(
      (await call('GET', '/api/swap/lock', { headers: { authorization: 'Bearer wrong-token-0123456789' } }))
        .status,
    ).toBe(401);
  });

  it('never lets a /v1 API key open a control route', async () => {
    const auth = { authorization: `Bearer ${GATEWAY_KEY}` };
    expect((await call('GET', '/api/swap/lock', { headers: auth })).status).toBe(401);
    expect(
      (await call('POST', '/api/swap/lock', { headers: auth, json: { holder: 'x', ttl_s: 5 } })).status,
    ).toBe(401);
    expect((await call('GET', '/v1/models', { headers: auth })).status).toBe(200);
  });

  it('leaves the data plane to the gateway keys', async () => {
    expect((await call('GET', '/v1/models')).status).toBe(401);
    const r = await call('POST', '/api/health-event', {
      json: { service: 'parakeet', ok: true, source: 'test' },
    });
    expect(r.status).toBe(201);
    expect(
      (await call('GET', '/v1/models', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status,
    ).toBe(401);
  });

  it('asks the audio pipeline for a gateway key or a sign-in, and keeps the speaker library a control route', async () => {
    const key = { authorization: `Bearer ${GATEWAY_KEY}` };
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const noSuchResult = '/api/audio/results/00000000-0000-0000-0000-000000000000';
    const anon = await call('GET', noSuchResult);
    expect(anon.status).toBe(401);
    expect(JSON.stringify(anon.json)).toMatch(/API key/);
    expect((await call('GET', noSuchResult, { headers: key })).status).toBe(404);
    expect((await call('GET', noSuchResult, { headers: admin })).status).toBe(404);
    // Stored voices are managed by the admin: a gateway key does not open them.
    expect((await call('GET', '/api/audio/speakers')).status).toBe(401);
    expect((await call('GET', '/api/audio/speakers', { headers: key })).status).toBe(401);
    expect((await call('GET', '/api/audio/speakers', { headers: admin })).status).toBe(200);
    // …and a page on another site cannot enroll or delete one with the admin's browser.
    const crossSite = await call('DELETE', '/api/audio/speakers/x', {
      headers: { ...admin, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('accepts an admin token on control routes, simulator faults included', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await call('GET', '/api/hardware', { headers: auth })).status).toBe(200);
    expect((await call('GET', '/api/events', { headers: auth })).status).toBe(200);
    expect(
      (await call('POST', '/api/sim/nodes/spark2/latency', { headers: auth, json: { ms: 0 } })).status,
    ).toBe(200);
    expect((await call('GET', '/api/auth/session', { headers: auth })).json).toMatchObject({
      authenticated: true,
      method: 'token',
    });
  });

  it('signs in with the password: an HttpOnly SameSite=Strict cookie that opens the dashboard', async () => {
    expect((await login('wrong password')).status).toBe(401);
    const r = await login(PASSWORD);
    expect(r.status).toBe(200);
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^sc_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/,
    );
    const cookie = { cookie: cookieOf(r) };
    // The session id travels only in Set-Cookie; no body carries it or the password.
    const sessionId = cookie.cookie.split('=')[1]!;
    const session = await call('GET', '/api/auth/session', { headers: cookie });
    for (const body of [r.json, session.json])
      for (const secret of [sessionId, PASSWORD]) expect(JSON.stringify(body)).not.toContain(secret);
    expect(session.json).toMatchObject({ authenticated: true, method: 'session' });
    expect((await call('GET', '/api/auth/session', { headers: cookie })).json).toMatchObject({
      authenticated: true,
      method: 'session',
    });
    expect((await call('GET', '/api/hardware', { headers: cookie })).status).toBe(200);
    expect((await call('GET', '/docs/json', { headers: cookie })).status).toBe(200);
    expect((await call('GET', '/api/events', { headers: cookie })).status).toBe(200);
    // A session is not a pass around the same-origin guard.
    expect(
      (
        await call('POST', '/api/swap/lock', {
          headers: { ...cookie, origin: 'http://evil.example' },
          json: { holder: 'x', ttl_s: 5 },
        })
      ).status,
    ).toBe(403);
  });

  it('marks the cookie Secure when the browser is on https', async () => {
    // A page on a trusted https origin (a TLS-terminating proxy) …
    const viaOrigin = await login(PASSWORD, {
      origin: 'https://proxy.example.net',
      host: 'proxy.example.net',
    });
    expect(String(viaOrigin.headers['set-cookie'])).toMatch(/; Secure$/);
    // … or a proxy on this machine saying so; from elsewhere that header would not be believed.
    const viaHeader = await login(PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(String(viaHeader.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('logs out: the cookie is cleared and the old session no longer opens anything', async () => {
    const cookie = { cookie: cookieOf(await login(PASSWORD)) };
    const out = await call('POST', '/api/auth/logout', { headers: { ...cookie, origin: c.url } });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain(
      'sc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
    expect((await call('GET', '/api/hardware', { headers: cookie })).status).toBe(401);
    expect((await call('GET', '/api/auth/session', { headers: cookie })).json).toMatchObject({
      authenticated: false,
    });
  });

  it('handles racing logins: each right one gets its own session, wrong ones none', async () => {
    const from = '127.0.0.4';
    const results = await Promise.all([
      login(PASSWORD, {}, from),
      login('nope nope', {}, from),
      login(PASSWORD, {}, from),
      login('nope', {}, from),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 401, 200, 401]);
    expect(cookieOf(results[0]!)).not.toBe(cookieOf(results[2]!));
    expect(results[1]!.headers['set-cookie']).toBeUndefined();
    for (const r of [results[0]!, results[2]!])
      expect((await call('GET', '/api/hardware', { headers: { cookie: cookieOf(r) } })).status).toBe(200);
  });

  it('rate-limits login attempts per client address with 429 and Retry-After', async () => {
    const attacker = '127.0.0.2';
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++)
      expect((await login('guessing', {}, attacker)).status).toBe(401);
    const limited = await login('guessing', {}, attacker);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((limited.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringContaining('try again'),
    });
    expect((await login(PASSWORD, {}, attacker)).status).toBe(429);
    // Another client still signs in, and token-authenticated scripts are not slowed down.
    expect((await login(PASSWORD, {}, '127.0.0.3')).status).toBe(200);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await call('GET', '/api/hardware', { headers: auth, from: attacker })).status).toBe(200);
  });
});

describe('admin auth off', () => {
  it('warns when listening beyond loopback, not on loopback, and leaves routes open', async () => {
    const wide = await startTestCluster({ startSamplers: false, env: { HOST: '0.0.0.0' } });
    try {
      const s = (await (await fetch(`${wide.url}/api/auth/session`)).json()) as AuthSessionResponse;
      expect(s).toMatchObject({ auth_enabled: false, authenticated: false, method: null });
      expect(s.warning).toContain('0.0.0.0');
      expect(s.warning).toContain('ADMIN_PASSWORD_HASH');
      expect((await fetch(`${wide.url}/api/hardware`)).status).toBe(200);
      const r = await fetch(`${wide.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'whatever1' }),
      });
      expect(r.status).toBe(409);
    } finally {
      await wide.close();
    }
    const local = await startTestCluster({ startSamplers: false });
    try {
      const s = (await (await fetch(`${local.url}/api/auth/session`)).json()) as AuthSessionResponse;
      expect(s.warning).toBeNull();
    } finally {
      await local.close();
    }
  });
});
