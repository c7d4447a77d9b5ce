// The guard's configuration against the real app: names in allowed_hosts (wildcards too) and
// trusted origins (a reverse proxy) are accepted; look-alikes are not.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

describe('request guard with trusted origins and allowed hosts', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({
      startSamplers: false,
      env: {
        TRUSTED_ORIGINS: 'https://proxy.example.net',
        ALLOWED_HOSTS: 'spark.example.com,*.home.example.com',
      },
    });
  });
  afterAll(async () => c?.close());

  const at = (host: string, o: { method?: string; origin?: string; body?: string } = {}) =>
    request(`${c.url}/api/swap/lock`, {
      method: (o.method ?? 'GET') as 'GET',
      headers: {
        host,
        ...(o.origin ? { origin: o.origin } : {}),
        ...(o.body ? { 'content-type': 'application/json' } : {}),
      },
      body: o.body,
    }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() }));

  it('answers configured names, wildcard subdomains and the trusted origin host', async () => {
    for (const host of [
      'spark.example.com',
      'spark.example.com:9999',
      'a.home.example.com',
      'proxy.example.net',
      'localhost',
    ])
      expect((await at(host)).status, host).toBe(200);
    for (const host of ['home.example.com', 'evil.example', 'spark.example.com.evil.example'])
      expect((await at(host)).status, host).toBe(403);
  });

  it('accepts control requests from a trusted origin through its proxy', async () => {
    const body = JSON.stringify({ holder: 'proxied', ttl_s: 5 });
    expect(
      (await at('proxy.example.net', { method: 'POST', origin: 'https://proxy.example.net', body })).status,
    ).toBe(200);
    expect(
      (await at('proxy.example.net', { method: 'POST', origin: 'https://proxy.example.net:8443', body }))
        .status,
    ).toBe(403);
    expect(
      (await at('spark.example.com', { method: 'POST', origin: 'http://a.home.example.com', body })).status,
    ).toBe(403);
  });
});
