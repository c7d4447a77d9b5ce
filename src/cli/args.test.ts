import { describe, expect, it } from 'vitest';
import { parseModelKey, parseNodeList, parseRepo } from './args.js';

describe('argument checks', () => {
  it('model keys follow the catalog rule', () => {
    expect(parseModelKey('qwen3-30b-a3b')).toBe('qwen3-30b-a3b');
    expect(parseModelKey('a.b_c-1')).toBe('a.b_c-1');
    for (const bad of ['', 'Qwen3', '-x', 'a b', 'a/b', 'x'.repeat(65), 'k;id'])
      expect(() => parseModelKey(bad), bad).toThrow(/model key/);
  });

  it('repos are org/name', () => {
    expect(parseRepo('Qwen/Qwen3-0.6B')).toBe('Qwen/Qwen3-0.6B');
    for (const bad of ['Qwen', 'a/b/c', '/x', 'a/', 'a/$(id)', 'a/..', 'a b/c', 'org/na\nme'])
      expect(() => parseRepo(bad), bad).toThrow(/org\/name/);
  });

  it('node lists are split, trimmed and deduplicated', () => {
    expect(parseNodeList('spark1, spark2,spark1')).toEqual(['spark1', 'spark2']);
    for (const bad of ['', ',', 'spark1,', 'spark 1', 'a;b'])
      expect(() => parseNodeList(bad), bad).toThrow(/node names/);
  });
});
