import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  acceptsControlUpload,
  checkOrigin,
  HostAllowList,
  isExemptPath,
  isJsonOrNone,
  parseHostHeader,
  pathOf,
} from './request-origin.js';

describe('control uploads', () => {
  it('let multipart through only to the speaker library', () => {
    const mp = 'multipart/form-data; boundary=x';
    expect(acceptsControlUpload('/api/audio/speakers', mp)).toBe(true);
    expect(acceptsControlUpload('/api/audio/speakers/abc/samples', mp)).toBe(true);
    expect(acceptsControlUpload('/api/audio/speakers', 'application/x-www-form-urlencoded')).toBe(false);
    expect(acceptsControlUpload('/api/audio/speakers', 'text/plain')).toBe(false);
    expect(acceptsControlUpload('/api/swap', mp)).toBe(false);
    expect(acceptsControlUpload('/api/catalog', mp)).toBe(false);
    expect(acceptsControlUpload('/api/audio/speakersx', mp)).toBe(false);
  });
});

describe('exempt paths', () => {
  it('match whole segments of the exempt prefixes only', () => {
    for (const p of [
      '/v1/models',
      '/v1/audio/transcriptions',
      '/scrub',
      '/scrub/x',
      '/rehydrate',
      '/api/search',
      '/api/search/col',
      '/api/audio/x',
      '/api/audio/transcribe-with-speakers',
      '/api/audio/results/abc',
      '/api/audio/speakersx',
      '/api/health-event',
    ])
      expect(isExemptPath(p), p).toBe(true);
    for (const p of [
      '/v1x',
      '/v1x/models',
      '/scrubx',
      '/rehydrated',
      '/api/searchx',
      '/api/audiox',
      '/api/audiox/y',
      '/api/audio/speakers',
      '/api/audio/speakers/abc',
      '/api/audio/speakers/abc/samples',
      '/api/health-events',
      '//v1/models',
      '/V1/models',
      '/api/swap',
      '/',
      '/%76%31/models',
      '/api/v1/x',
    ])
      expect(isExemptPath(p), p).toBe(false);
  });

  it('take the path of origin-form targets only', () => {
    expect(pathOf('/v1/models?x=/api/swap')).toBe('/v1/models');
    expect(pathOf('/scrub#frag')).toBe('/scrub');
    expect(pathOf('http://x/v1/models')).toBeNull();
    expect(pathOf('*')).toBeNull();
  });

  it('never exempt a path that does not start with an exempt segment', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('/', 'v', '1', 'x', 'a', 'p', 'i', '%', '.', 's') }),
        (tail) => {
          const path = `/api/swap${tail}`;
          expect(isExemptPath(path)).toBe(false);
        },
      ),
    );
  });
});

describe('Host header', () => {
  const list = new HostAllowList({
    names: ['spark.example.com', '*.home.example.com'],
    trustedOrigins: ['https://proxy.example.net:8443'],
    ownNames: ['box', 'box.local'],
  });

  it('allows IP literals, localhost, own and configured names, trusted origins, wildcards', () => {
    for (const h of [
      '127.0.0.1:9999',
      '192.0.2.10',
      '[::1]:9999',
      '[fe80::1]',
      'localhost:9999',
      'LOCALHOST',
      'localhost.',
      'box',
      'box.local:9999',
      'spark.example.com',
      'a.home.example.com',
      'a.b.home.example.com:1',
      'proxy.example.net',
    ])
      expect(list.allows(h), h).toBe(true);
    expect(list.allows(undefined)).toBe(true);
  });

  it('refuses other names, lookalikes and malformed values', () => {
    for (const h of [
      'evil.example',
      'home.example.com',
      'xhome.example.com',
      'spark.example.com.evil.example',
      'localhost.evil.example',
      'box.evil',
      '',
      ' ',
      'spark.example.com:0',
      'spark.example.com:99999',
      'a@spark.example.com',
      'spark.example.com/x',
      '[not-v6]',
      '[::1',
      'x..y',
      '2130706433',
      'evil.example:9999',
    ])
      expect(list.allows(h), h).toBe(false);
  });

  it('parses name and port', () => {
    expect(parseHostHeader('Spark1.Local.:9999')).toEqual({ hostname: 'spark1.local', port: 9999 });
    expect(parseHostHeader('[::1]')).toEqual({ hostname: '[::1]', port: null });
  });
});

describe('same-origin check', () => {
  const trusted = new Set(['https://proxy.example.net']);
  const ok = (h: { origin?: string; referer?: string; host?: string }) => checkOrigin(h, trusted).ok;

  it('passes the served host, trusted origins and requests without Origin or Referer', () => {
    expect(ok({ origin: 'http://127.0.0.1:9999', host: '127.0.0.1:9999' })).toBe(true);
    expect(ok({ origin: 'http://spark.local', host: 'spark.local:80' })).toBe(true);
    expect(ok({ origin: 'https://spark.local', host: 'spark.local' })).toBe(true);
    expect(ok({ origin: 'http://[::1]:9999', host: '[::1]:9999' })).toBe(true);
    expect(ok({ origin: 'https://proxy.example.net', host: '127.0.0.1:9999' })).toBe(true);
    expect(ok({ referer: 'http://127.0.0.1:9999/some/page?x', host: '127.0.0.1:9999' })).toBe(true);
    expect(ok({ host: '127.0.0.1:9999' })).toBe(true);
    expect(ok({})).toBe(true);
  });

  it('refuses foreign hosts and ports, null, other schemes and garbage', () => {
    for (const h of [
      { origin: 'http://evil.example', host: '127.0.0.1:9999' },
      { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:9999' },
      { origin: 'http://127.0.0.1', host: '127.0.0.1:9999' },
      { origin: 'http://spark.local:8080', host: 'spark.local' },
      { origin: 'https://spark.local:9999', host: 'spark.local:9999:1' },
      { origin: 'null', host: '127.0.0.1:9999' },
      { origin: '', host: '127.0.0.1:9999' },
      { origin: 'file://', host: '127.0.0.1:9999' },
      { origin: 'http://evil.example', referer: 'http://127.0.0.1:9999/', host: '127.0.0.1:9999' },
      { referer: 'http://evil.example/x', host: '127.0.0.1:9999' },
      { referer: 'not a url', host: '127.0.0.1:9999' },
      { origin: 'http://127.0.0.1:9999' },
      { origin: 'https://proxy.example.net:444', host: '127.0.0.1:9999' },
    ])
      expect(ok(h), JSON.stringify(h)).toBe(false);
  });
});

describe('body types', () => {
  it('accept JSON or nothing', () => {
    expect(isJsonOrNone(undefined)).toBe(true);
    expect(isJsonOrNone('Application/JSON; charset=utf-8')).toBe(true);
    for (const t of [
      'text/plain',
      'text/plain;charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      'application/json-seq',
      'application/jsonp',
    ])
      expect(isJsonOrNone(t), t).toBe(false);
  });
});
