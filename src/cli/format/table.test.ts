import { describe, expect, it } from 'vitest';
import { cleanCell, table } from './table.js';

describe('table', () => {
  it('aligns columns to the widest cell, with no trailing spaces', () => {
    expect(
      table(
        ['NAME', 'STATE', 'NOTE'],
        [
          ['parakeet', 'running', 'ok'],
          ['magpie-tts', null, ''],
        ],
      ),
    ).toEqual(['NAME        STATE    NOTE', 'parakeet    running  ok', 'magpie-tts  -        -']);
  });

  it('keeps a hostile value on one line without terminal escapes', () => {
    const [, row] = table(['A', 'B'], [['x\n\u001b[2Jy\r', 3]]);
    expect(row).toBe('x [2Jy   3');
    expect(cleanCell('tab\there')).toBe('tab here');
    expect(cleanCell(0)).toBe('0');
  });

  it('measures characters, not UTF-16 units', () => {
    expect(table(['K', 'V'], [['✓😀', 'a']])).toEqual(['K   V', '✓😀  a']);
  });
});
