import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sseDataSplitter } from './sse-data.js';

const all = (pieces: string[]): string[] => {
  const s = sseDataSplitter();
  return [...pieces.flatMap((p) => s.push(p)), ...s.end()];
};

describe('sseDataSplitter', () => {
  it("splits vLLM's stream into each event's data, [DONE] included", () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    expect(all([stream])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('joins multi-line data with LF and drops only one space after the colon', () => {
    expect(all(['data:  two\ndata:one\ndata\n\n'])).toEqual([' two\none\n']);
  });

  it('ignores comments, other fields and blank lines between events', () => {
    expect(all([':ping\n\nevent: x\nid: 3\nretry: 5\ndata: y\n\n\n\n'])).toEqual(['y']);
  });

  it('accepts CR and CRLF line ends, also when CR and LF arrive in different pieces', () => {
    expect(all(['data: a\r\n\r\ndata: b\r\rdata: c\r', '\n\r', '\n'])).toEqual(['a', 'b', 'c']);
  });

  it('hands out an event only once its blank line came; end() flushes a last open one', () => {
    const s = sseDataSplitter();
    expect(s.push('data: par')).toEqual([]);
    expect(s.push('tial\n')).toEqual([]);
    expect(s.push('\n')).toEqual(['partial']);
    expect(s.push('data: last')).toEqual([]);
    expect(s.end()).toEqual(['last']);
  });

  it('gives the same events however the stream is cut into pieces', () => {
    const event = fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '{', ':', ' ', '😀') }), {
      minLength: 1,
      maxLength: 3,
    });
    const newline = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 6 }),
        newline,
        fc.array(fc.nat(), { maxLength: 8 }),
        (events, nl, cuts) => {
          const text = events.map((lines) => lines.map((l) => `data: ${l}${nl}`).join('') + nl).join('');
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces: string[] = [];
          let at = 0;
          for (const p of points) {
            pieces.push(text.slice(at, p));
            at = p;
          }
          pieces.push(text.slice(at));
          expect(all(pieces)).toEqual(events.map((lines) => lines.join('\n')));
        },
      ),
    );
  });
});
