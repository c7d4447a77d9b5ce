import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { describe, expect, it } from 'vitest';
import { collectionsOf, createQdrantApi, hitsOf, pointId, qdrantErrorText, qdrantFailure } from './qdrant.js';

/** The official client's error for a non-2xx answer (openapi-typescript-fetch's ApiError shape). */
const apiError = (status: number, data: unknown) => Object.assign(new Error('Bad Request'), { status, data });
const refused = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });

describe('Qdrant failures as clients see them', () => {
  it('unreachable → 502 "qdrant unreachable" with the network cause', () => {
    const e = qdrantFailure(refused(), 'demo');
    expect([e.status, e.message]).toEqual([502, 'qdrant unreachable (ECONNREFUSED)']);
  });

  it('a missing collection → 404 in our words', () => {
    const e = qdrantFailure(
      apiError(404, { status: { error: "Not found: Collection `x` doesn't exist!" } }),
      'x',
    );
    expect([e.status, e.message]).toEqual([404, 'Qdrant has no collection named "x".']);
  });

  it('a refused filter (400/422) → 400 with Qdrant’s short error, clipped', () => {
    const short = qdrantFailure(apiError(400, { status: { error: 'Format error in JSON body: bad' } }), 'x');
    expect(short.status).toBe(400);
    expect(short.message).toContain('Format error in JSON body: bad');
    const long = qdrantFailure(apiError(422, { status: { error: 'v'.repeat(5000) } }), 'x');
    expect(long.status).toBe(400);
    expect(long.message.length).toBeLessThan(300);
    const bare = qdrantFailure(apiError(400, '<html>'), 'x');
    expect(bare.message).toContain('HTTP 400');
    expect(bare.message).not.toContain('<html>');
  });

  it('anything else → 502 with the status only; a timeout → 504; garbage → 502', () => {
    const e = qdrantFailure(apiError(500, { status: { error: 'secret internals' } }), 'x');
    expect([e.status, e.message]).toEqual([502, 'qdrant answered HTTP 500']);
    expect(qdrantFailure(new QdrantClientTimeoutError('aborted'), 'x').status).toBe(504);
    const odd = qdrantFailure(new TypeError('a point without a score'), 'x');
    expect(odd.status).toBe(502);
    expect(odd.message).toContain('not a Qdrant response');
  });

  it('a refused or missing API key (401/403) → 502 naming the setting, whether a key was sent or not', () => {
    const text = 'Invalid API key or JWT';
    const wrong = qdrantFailure(apiError(401, text), 'x', true);
    expect([wrong.status, wrong.code]).toEqual([502, 'UPSTREAM_ERROR']);
    expect(wrong.message).toMatch(
      /^Qdrant refused the configured API key \(HTTP 401\): set qdrant_api_key \(QDRANT_API_KEY\)/,
    );
    expect(wrong.details).toEqual({ field: 'qdrant_api_key' });
    const none = qdrantFailure(apiError(401, 'Must provide an API key'), null, false);
    expect(none.message).toMatch(
      /^Qdrant requires an API key \(HTTP 401\) and none is configured: .*QDRANT_API_KEY/,
    );
    // Older Qdrant releases answered a bad key with 403; a JWT without access gets 403 too.
    const denied = qdrantFailure(apiError(403, 'Forbidden'), 'x', true);
    expect([denied.status, denied.message]).toEqual([502, expect.stringContaining('HTTP 403')]);
    // Never the collection's 404 wording, never Qdrant's text.
    for (const e of [wrong, none, denied])
      expect(e.message).not.toMatch(/collection named|Invalid API key or JWT/);
  });

  it('a key fetch cannot send fails at start-up without quoting it', () => {
    for (const bad of ['line\nSECRET-qd', 'ключ-SECRET-qd']) {
      let caught: unknown;
      try {
        createQdrantApi('http://127.0.0.1:9', { apiKey: bad });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(Error);
      expect((caught as Error).message).toContain('qdrant_api_key');
      expect(JSON.stringify(caught) + String((caught as Error).stack)).not.toContain('SECRET-qd');
    }
  });

  it('reads Qdrant’s error text only from its envelope', () => {
    expect(qdrantErrorText({ status: { error: ' e ' } })).toBe('e');
    expect(qdrantErrorText({ status: 'ok' })).toBeNull();
    expect(qdrantErrorText(null)).toBeNull();
  });
});

describe('Qdrant answers → our shapes', () => {
  it('makes ids JSON-safe (u64 beyond 2^53 arrives as BigInt) and payload null when absent', () => {
    expect(pointId(18446744073709551615n)).toBe('18446744073709551615');
    expect(pointId('550e8400-e29b-41d4-a716-446655440000')).toBe('550e8400-e29b-41d4-a716-446655440000');
    const hits = hitsOf([
      { id: 1n, version: 0, score: 0.5 },
      { id: 2, score: 0.4, payload: { title: 't' } },
    ]);
    expect(hits).toEqual([
      { id: '1', score: 0.5, payload: null },
      { id: 2, score: 0.4, payload: { title: 't' } },
    ]);
    expect(() => JSON.stringify(hits)).not.toThrow();
  });

  it('throws on shapes that are not Qdrant’s', () => {
    expect(() => hitsOf(undefined)).toThrow(TypeError);
    expect(() => hitsOf([{ id: 1 }])).toThrow(TypeError);
    expect(() => collectionsOf('<html>')).toThrow(TypeError);
    expect(collectionsOf({ collections: [{ name: 'a' }, { nope: 1 }] })).toEqual([{ name: 'a' }]);
  });
});
