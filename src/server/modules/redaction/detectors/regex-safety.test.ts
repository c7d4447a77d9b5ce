import { describe, expect, it } from 'vitest';
import { backtrackingProblem } from './regex-safety.js';

describe('backtrackingProblem', () => {
  it.each([
    ['(a+)+$', 'nested'],
    ['(a*)*b', 'nested'],
    ['^(\\w+\\s?)*$', 'nested'],
    ['(?:x{2,}){3,}', 'nested'],
    ['((ab)+c)*', 'nested'],
    ['(a|a)*$', 'alternation'],
    ['(a|ab)+c', 'alternation'],
    ['(\\w|\\d)+!', 'alternation'],
    ['(.|\\s)*end', 'alternation'],
    ['(?:[a-z]|x)+', 'alternation'],
    ['(?:,?\\w+)*', 'nested'], // the leading comma is optional: no fixed start
    ['(?:a|B)+', undefined], // no overlap without the i flag…
  ])('%s is refused (%s)', (src, kind) => {
    const problem = backtrackingProblem(src);
    if (kind === undefined) expect(problem).toBeNull();
    else expect(problem).toContain(kind);
  });

  it('the i flag folds case before comparing branches', () => {
    expect(backtrackingProblem('(?:a|A)+', 'i')).toContain('alternation');
    expect(backtrackingProblem('(?:a|A)+')).toBeNull();
  });

  it.each([
    'EMP-\\d{6}',
    '\\b[A-Z]{2}\\d{6}\\b',
    '(?:ab)+c',
    '(?:foo|bar)+',
    '\\w+(?:,\\w+)*',
    '(a|b)?c',
    '[(]x+[)]',
    '(?<id>\\d+)-(?=x)\\k<id>',
    'a{2}b{1,3}',
    '(?:a?)+'.replace('?)+', ')+'), // (?:a)+
    '\\(\\w+\\)',
    '(?:-\\d+)+',
    '[A-Z]+(?:_[A-Z0-9]+)*',
  ])('%s is accepted', (src) => {
    expect(backtrackingProblem(src)).toBeNull();
  });

  it('an optional first item lets the next one count as a first character', () => {
    expect(backtrackingProblem('(?:a?b|b)+')).toContain('alternation');
  });
});
