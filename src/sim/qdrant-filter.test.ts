import { describe, expect, it } from 'vitest';
import { compileFilter, FilterFormatError, valuesAt } from './qdrant-filter.js';

const p = { city: 'London', tags: ['a', 'b'], n: 5, nested: { x: [{ y: 1 }, { y: 2 }] }, ok: true };

describe('Qdrant filter subset', () => {
  it.each([
    [{ must: [{ key: 'city', match: { value: 'London' } }] }, true],
    [{ must: [{ key: 'city', match: { value: 'Paris' } }] }, false],
    [{ must: { key: 'ok', match: { value: true } } }, true],
    [{ must: [{ key: 'tags', match: { value: 'b' } }] }, true],
    [{ must: [{ key: 'tags', match: { any: ['z', 'a'] } }] }, true],
    [{ must: [{ key: 'n', range: { gt: 5 } }] }, false],
    [{ must: [{ key: 'n', range: { gte: 5, lt: 6 } }] }, true],
    [{ must: [{ key: 'n', range: { lte: 4 } }] }, false],
    [{ must: [{ key: 'nested.x.y', match: { value: 2 } }] }, true],
    [{ must: [{ key: 'missing', match: { value: 1 } }] }, false],
    [{ must_not: [{ key: 'city', match: { value: 'London' } }] }, false],
    [
      {
        should: [
          { key: 'n', range: { gt: 9 } },
          { key: 'city', match: { value: 'London' } },
        ],
      },
      true,
    ],
    [{ should: [{ key: 'n', range: { gt: 9 } }] }, false],
    [{ must: [{ should: [{ key: 'n', match: { value: 5 } }] }] }, true],
    [{}, true],
    [null, true],
  ])('%j → %s', (filter, expected) => {
    expect(compileFilter(filter)(p)).toBe(expected);
  });

  it.each([
    ['not an object', 'x'],
    ['an array', [1]],
    ['an unknown key', { where: [] }],
    ['min_should', { min_should: { conditions: [], min_count: 1 } }],
    ['a regex match', { must: [{ key: 'a', match: { regex: '.*' } }] }],
    ['match and range together', { must: [{ key: 'a', match: { value: 1 }, range: { gt: 1 } }] }],
    ['a condition without key', { must: [{ match: { value: 1 } }] }],
    ['a non-number range', { must: [{ key: 'a', range: { gt: '1' } }] }],
    ['an unknown range bound', { must: [{ key: 'a', range: { between: 1 } }] }],
    ['an object in match.any', { must: [{ key: 'a', match: { any: [{}] } }] }],
    ['a has_id condition', { must: [{ has_id: [1] }] }],
  ])('refuses %s', (_name, filter) => {
    expect(() => compileFilter(filter)).toThrow(FilterFormatError);
  });

  it('reaches dotted keys through arrays', () => {
    expect(valuesAt(p, 'nested.x.y')).toEqual([1, 2]);
    expect(valuesAt(p, 'tags')).toEqual(['a', 'b']);
    expect(valuesAt(p, 'city.z')).toEqual([]);
  });
});
