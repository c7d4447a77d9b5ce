import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../test/helpers/unit.js';
import { parseRepoDir, repoDir } from './names.js';

describe('parseRepoDir', () => {
  it.each([
    ['models--Qwen--Qwen3-30B-A3B-Instruct-2507-FP8', 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8'],
    ['models--openai--gpt-oss-20b', 'openai/gpt-oss-20b'],
    ['models--a.b_c--x.y-z', 'a.b_c/x.y-z'],
  ])('%s → %s', (dir, repo) => expect(parseRepoDir(dir)).toBe(repo));

  it.each([
    'datasets--org--name', // not a model
    'models--org', // no name
    'models--org--name--extra', // three parts: ambiguous
    'models--org---name', // a part ending in '-' next to the separator
    'models--../..--x',
    'models--org--na me',
    'models--org--name\nmodels--evil--x',
    'models--org--..',
    'models--.org--name',
    'models--org--name/',
    '',
    'models----name',
  ])('refuses %j', (dir) => expect(parseRepoDir(dir)).toBeNull());
});

describe('repoDir', () => {
  it('names the cache directory of a valid repo', () => {
    expect(repoDir('nvidia/Gemma-4-26B-A4B-NVFP4')).toBe('models--nvidia--Gemma-4-26B-A4B-NVFP4');
  });

  it.each([
    '../etc',
    'org/../x',
    'org/na;me',
    'org/$(id)',
    'org/a--b',
    'org',
    'a/b/c',
    'org/-rf',
    "org/x'y",
    'org/x\ny',
  ])('refuses %j with a 400 naming the field', (repo) => {
    const e = caughtAppError(() => repoDir(repo));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^repo must look like "org\/name"/);
  });
});
