import { describe, expect, it } from 'vitest';
import { appendLog, EMPTY_LOG, stripAnsi, type LogLine } from './logBuffer.js';

const lines = (from: number, to: number): LogLine[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, line: `line ${from + i}` }));

describe('appendLog', () => {
  it('appends new lines in order', () => {
    const b = appendLog(EMPTY_LOG, lines(1, 3));
    expect(b.lines.map((l) => l.line)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(b.lastSeq).toBe(3);
    expect(b.dropped).toBe(0);
  });
  it('ignores lines replayed after a reconnect', () => {
    const b = appendLog(appendLog(EMPTY_LOG, lines(1, 3)), lines(1, 5));
    expect(b.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
  });
  it('returns the same buffer when nothing is new', () => {
    const b = appendLog(EMPTY_LOG, lines(1, 3));
    expect(appendLog(b, lines(2, 3))).toBe(b);
    expect(appendLog(b, [])).toBe(b);
  });
  it('keeps only the newest lines and counts the dropped ones', () => {
    let b = appendLog(EMPTY_LOG, lines(1, 8), 5);
    expect(b.lines.map((l) => l.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(b.dropped).toBe(3);
    b = appendLog(b, lines(9, 10), 5);
    expect(b.lines.map((l) => l.seq)).toEqual([6, 7, 8, 9, 10]);
    expect(b.dropped).toBe(5);
  });
  it('handles sequence numbers starting at 0', () => {
    expect(appendLog(EMPTY_LOG, [{ seq: 0, line: 'first' }]).lines).toHaveLength(1);
  });
});

describe('stripAnsi', () => {
  it('removes colour codes and carriage returns', () => {
    expect(stripAnsi('\u001b[32mINFO\u001b[0m ready\r')).toBe('INFO ready');
    expect(stripAnsi('plain <b>text</b>')).toBe('plain <b>text</b>');
  });
});
