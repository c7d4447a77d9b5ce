import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi.js';

describe('stripAnsi', () => {
  it.each([
    ['\u001b[32mINFO\u001b[0m:     Started server process [1]', 'INFO:     Started server process [1]'],
    ['\u001b[1;31mERROR\u001b[39;49m boom', 'ERROR boom'],
    ['\u001b[2K\u001b[1Gpulling 45%', 'pulling 45%'],
    ['\u001b]0;title\u0007text', 'text'],
    ['\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['\u009b31mred', 'red'],
    ['keep\ttabs and [brackets] and 100%', 'keep\ttabs and [brackets] and 100%'],
    ['bell\u0007 and nul\u0000 gone', 'bell and nul gone'],
    ['\u001bMreverse index', 'reverse index'],
    ['', ''],
  ])('%j → %j', (input, want) => {
    expect(stripAnsi(input)).toBe(want);
  });

  it('never leaves an ESC behind for any colour sequence', () => {
    for (let a = 0; a < 110; a++) expect(stripAnsi(`\u001b[${a};1mx\u001b[m`)).toBe('x');
  });
});
