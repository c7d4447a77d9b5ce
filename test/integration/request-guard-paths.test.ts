// Raw request targets an attacker can shape — percent-encoding, dot segments, doubled slashes,
// exempt-looking prefixes, absolute-form — sent over a raw socket (a client library would
// normalize them) from a foreign origin with a valid body: none may take the GPU lock.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startTestCluster, type TestCluster } from '../helpers/harness.js';

const BODY = '{"holder":"evil","ttl_s":600}';

describe('request guard on hostile request targets', () => {
  let c: TestCluster;
  let host: string;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false });
    host = new URL(c.url).host;
  });
  afterAll(async () => c?.close());

  const post = (target: string) =>
    new Promise<number>((resolve, reject) => {
      const s = connect(Number(new URL(c.url).port), '127.0.0.1', () =>
        s.write(
          `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://evil.example\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`,
        ),
      );
      let out = '';
      s.on('data', (d: Buffer) => (out += d.toString()));
      s.on('error', reject);
      s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
    });

  it('never lets a mangled path reach the lock handler', async () => {
    const encodeSome = (path: string, mask: boolean[]) =>
      [...path]
        .map((ch, i) => (mask[i % mask.length] && ch !== '/' ? `%${ch.charCodeAt(0).toString(16)}` : ch))
        .join('');
    const target = fc
      .record({
        prefix: fc.constantFrom(
          '',
          '/v1/..',
          '/v1/%2e%2e',
          '/scrub/..',
          '/api/audio/..',
          '/api/health-event/..',
          `http://${'HOST'}`,
        ),
        slashes: fc.constantFrom('/', '//'),
        mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        tail: fc.constantFrom('', '/', '?x=/v1/', '#/v1/', ';/v1/'),
      })
      .map(
        ({ prefix, slashes, mask, tail }) =>
          `${prefix.replace('HOST', host)}${slashes}${encodeSome('api/swap/lock', mask)}${tail}`,
      );
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        const status = await post(t);
        expect([403, 404, 400], t).toContain(status);
      }),
      { numRuns: 120, seed: 7 },
    );
    expect(
      (await getJson<{ holder: string | null }>(`${c.url}/api/swap/lock`)).body.holder ?? null,
    ).toBeNull();
  });
});
