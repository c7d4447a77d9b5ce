import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { collectionNameProblem, MAX_LIMIT, parseSearchRequest } from './validate.js';

const refusal = (body: unknown): { message: string; param: unknown } => {
  try {
    parseSearchRequest(body);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.status).toBe(400);
    return { message: e.message, param: (e.details as { param?: unknown }).param };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
};

describe('search request validation', () => {
  it('fills the defaults', () => {
    expect(parseSearchRequest({ collection: 'demo-docs', query: 'gpu' })).toEqual({
      collection: 'demo-docs',
      query: 'gpu',
      vector: null,
      limit: 10,
      filter: null,
      score_threshold: null,
      with_payload: true,
    });
    const v = parseSearchRequest({
      collection: 'a.b_c-1',
      vector: [0.5, -1, 0],
      limit: MAX_LIMIT,
      filter: { must: [] },
      score_threshold: 0.2,
      with_payload: false,
    });
    expect(v).toMatchObject({ vector: [0.5, -1, 0], limit: 100, filter: { must: [] }, with_payload: false });
  });

  it.each([
    ['..', 'must not contain'],
    ['a..b', 'must not contain'],
    ['../etc', 'letters, digits'],
    ['a/b', 'letters, digits'],
    ['a%2Fb', 'letters, digits'],
    ['a b', 'letters, digits'],
    ['a?x=1', 'letters, digits'],
    ['é', 'letters, digits'],
    ['x'.repeat(256), 'letters, digits'],
    ['', 'required'],
  ])('refuses the collection name %j', (name, words) => {
    expect(collectionNameProblem(name)).toContain(words);
    expect(refusal({ collection: name, query: 'q' }).param).toBe('collection');
  });

  it.each([
    [{ collection: 'c' }, 'query', 'exactly one'],
    [{ collection: 'c', query: 'q', vector: [1] }, 'query', 'exactly one'],
    [{ collection: 'c', query: '  ' }, 'query', 'non-empty'],
    [{ collection: 'c', query: 5 }, 'query', 'non-empty'],
    [{ collection: 'c', query: 'x'.repeat(8001) }, 'query', 'longer than'],
    [{ collection: 'c', vector: [] }, 'vector', 'array of 1'],
    [{ collection: 'c', vector: 'abc' }, 'vector', 'array of 1'],
    [{ collection: 'c', vector: [1, '2'] }, 'vector', 'finite'],
    [{ collection: 'c', vector: [1, Infinity] }, 'vector', 'finite'],
    [{ collection: 'c', vector: [NaN] }, 'vector', 'finite'],
    [{ collection: 'c', query: 'q', limit: 0 }, 'limit', '1 to 100'],
    [{ collection: 'c', query: 'q', limit: 101 }, 'limit', '1 to 100'],
    [{ collection: 'c', query: 'q', limit: 2.5 }, 'limit', '1 to 100'],
    [{ collection: 'c', query: 'q', limit: '5' }, 'limit', '1 to 100'],
    [{ collection: 'c', query: 'q', filter: [] }, 'filter', 'JSON object'],
    [{ collection: 'c', query: 'q', filter: 'must' }, 'filter', 'JSON object'],
    [{ collection: 'c', query: 'q', score_threshold: 'high' }, 'score_threshold', 'finite'],
    [{ collection: 'c', query: 'q', score_threshold: -Infinity }, 'score_threshold', 'finite'],
    [{ collection: 'c', query: 'q', with_payload: 'yes' }, 'with_payload', 'true or false'],
    [{ collection: 'c', query: 'q', offset: 3 }, 'offset', 'Unknown field'],
  ])('refuses %j (%s)', (body, param, words) => {
    const r = refusal(body);
    expect(r.param).toBe(param);
    expect(r.message).toContain(words);
  });

  it.each([null, [], 'x', 3])('refuses the body %j', (body) => {
    expect(refusal(body).param).toBe('body');
  });
});
