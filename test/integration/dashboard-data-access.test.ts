// The dashboard's own panels on the data routes (Audio lab, Data tab) when gateway API keys are
// configured. With the admin login off the dashboard is open by the owner's choice, so its
// requests — an Origin or Referer of this host, and Sec-Fetch-Site same-origin where the browser
// sends it (https and localhost only) — pass without a key; a cross-site page, another host's
// origin or a bare client still needs one. With the login on, only a sign-in (or a key) passes.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPasswordSync } from '../../src/server/modules/auth/password.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const KEY = 'sk-dashboard-data-test';

async function statusOf(c: TestCluster, path: string, headers: Record<string, string>): Promise<number> {
  const res = await request(`${c.url}${path}`, { method: 'GET', headers });
  await res.body.dump();
  return res.statusCode;
}

const self = (c: TestCluster) => `http://${new URL(c.url).host}`;

describe('data routes with API keys and the admin login off', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false, env: { GATEWAY_API_KEYS: `app:${KEY}` } });
  });
  afterAll(async () => c?.close());

  it.each(['/api/search/collections', '/api/audio/results/no-such-result'])(
    "lets the dashboard's own requests to %s through, and nobody else's",
    async (path) => {
      const page = `${self(c)}/`;
      // The browser's GET carries a Referer of the page; its POST an Origin.
      const passes: Record<string, string>[] = [
        { 'sec-fetch-site': 'same-origin', referer: page },
        { 'sec-fetch-site': 'same-origin', origin: self(c) },
        { referer: `${page}#audio` }, // a plain-http LAN address: no Sec-Fetch-* headers at all
        { origin: self(c) },
      ];
      for (const headers of passes)
        expect(await statusOf(c, path, headers), JSON.stringify(headers)).not.toBe(401);
      const refused: Record<string, string>[] = [
        {},
        { 'sec-fetch-site': 'same-origin' }, // no page to compare
        { referer: 'http://evil.example/' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' },
        { 'sec-fetch-site': 'same-origin', origin: 'http://other.example:9999' },
        { 'sec-fetch-site': 'same-site', referer: page },
      ];
      for (const headers of refused)
        expect(await statusOf(c, path, headers), JSON.stringify(headers)).toBe(401);
      expect(await statusOf(c, path, { authorization: `Bearer ${KEY}` })).not.toBe(401);
    },
  );
});

describe('data routes with API keys and the admin login on', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({
      startSamplers: false,
      env: {
        ADMIN_PASSWORD_HASH: hashPasswordSync('a-long-password', { N: 2 ** 14, r: 8, p: 1 }),
        GATEWAY_API_KEYS: `app:${KEY}`,
      },
    });
  });
  afterAll(async () => c?.close());

  it('asks a same-origin request without a sign-in for a key', async () => {
    const headers = { 'sec-fetch-site': 'same-origin', referer: `${self(c)}/` };
    expect(await statusOf(c, '/api/search/collections', headers)).toBe(401);
    expect(
      await statusOf(c, '/api/search/collections', { ...headers, authorization: `Bearer ${KEY}` }),
    ).not.toBe(401);
  });
});
