import { describe, expect, it } from 'vitest';
import { bar, progressView } from './progress.js';

function capture(isTTY: boolean, columns = 80) {
  const lines: string[] = [];
  let raw = '';
  const io = { isTTY, columns, out: (l: string) => lines.push(l), write: (t: string) => (raw += t) };
  return { io, lines, raw: () => raw };
}

describe('progress', () => {
  it('bar: filled by the fraction, clamped, empty when unknown', () => {
    expect(bar(0.5, 10)).toBe('[#####-----]');
    expect(bar(1.7, 4)).toBe('[####]');
    expect(bar(-1, 4)).toBe('[----]');
    expect(bar(null, 4)).toBe('[----]');
  });

  it('in a pipe: one plain line per step, nothing redrawn', () => {
    const c = capture(false);
    const view = progressView(c.io);
    view.update('loading', '[1s] loading: a');
    view.update('loading', '[2s] loading: a');
    view.update('ready', '[3s] ready\r\u001b[2J');
    view.done();
    expect(c.lines).toEqual(['[1s] loading: a', '[3s] ready [2J']);
    expect(c.raw()).toBe('');
  });

  it('on a terminal: redraws one line in place, cut to the width, and ends it once', () => {
    const c = capture(true, 30);
    const view = progressView(c.io);
    view.update('a', 'x'.repeat(50));
    view.update('a', 'short');
    view.done();
    view.done();
    expect(c.raw()).toBe(`\r\u001b[2K${'x'.repeat(29)}\r\u001b[2Kshort\n`);
    expect(c.lines).toEqual([]);
  });
});
