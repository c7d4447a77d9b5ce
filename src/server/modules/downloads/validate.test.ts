import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/http/errors.js';
import { validateDownload } from './validate.js';

const NODES = ['spark1', 'spark2'];

function refusal(body: unknown, nodes = NODES): { code: string; field: unknown } {
  try {
    validateDownload(body as never, nodes);
  } catch (err) {
    if (isAppError(err))
      return { code: err.code, field: (err.details as { field?: unknown } | undefined)?.field };
    throw err;
  }
  throw new Error('accepted');
}

describe('validateDownload', () => {
  it.each([
    [{ repo: 'Qwen/Qwen3-0.6B' }, { repo: 'Qwen/Qwen3-0.6B', nodes: ['spark1', 'spark2'] }],
    [
      { repo: ' nvidia/Llama-3.1-8B-Instruct-FP8 ', mode: 'spark2' },
      { repo: 'nvidia/Llama-3.1-8B-Instruct-FP8', nodes: ['spark2'] },
    ],
    [
      { repo: 'a/b', mode: 'spark1' },
      { repo: 'a/b', nodes: ['spark1'] },
    ],
    [
      { repo: 'a/b.c_d-e', nodes: ['spark2', 'spark2'] },
      { repo: 'a/b.c_d-e', nodes: ['spark2'] },
    ],
  ])('accepts %j', (body, want) => expect(validateDownload(body as never, NODES)).toEqual(want));

  it.each([
    [{ repo: 'Qwen' }, 'repo'],
    [{ repo: 'a/b/c' }, 'repo'],
    [{ repo: '../etc/passwd' }, 'repo'],
    [{ repo: 'org/name;rm -rf ~' }, 'repo'],
    [{ repo: 'org/$(id)' }, 'repo'],
    [{ repo: 'org/name\nhf download x/y' }, 'repo'],
    [{ repo: 'org/-name' }, 'repo'],
    [{ repo: 'org/na--me' }, 'repo'],
    [{ repo: 'org/na..me' }, 'repo'],
    [{ repo: `org/${'x'.repeat(97)}` }, 'repo'],
    [{ repo: 42 }, 'repo'],
    [{ repo: 'a/b', nodes: [] }, 'nodes'],
    [{ repo: 'a/b', nodes: ['spark9'] }, 'nodes'],
    [{ repo: 'a/b', nodes: ['spark1;id'] }, 'nodes'],
    [{ repo: 'a/b', nodes: ['spark1'], mode: 'both' }, 'nodes'],
    [{ repo: 'a/b', mode: 'all' }, 'mode'],
  ])('refuses %j (400 on %s)', (body, field) =>
    expect(refusal(body)).toEqual({ code: 'INVALID_INPUT', field }),
  );

  it('a one-node cluster cannot take spark2 or both', () => {
    expect(refusal({ repo: 'a/b', mode: 'spark2' }, ['solo'])).toEqual({
      code: 'INVALID_INPUT',
      field: 'mode',
    });
    expect(validateDownload({ repo: 'a/b', mode: 'spark1' }, ['solo']).nodes).toEqual(['solo']);
  });
});
