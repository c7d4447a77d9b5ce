import { describe, expect, it } from 'vitest';
import { sseMessageSplitter as sseParser } from '../common/sse-data.js';
import { sseMessages } from './sse.js';

describe('sseParser', () => {
  it('keeps event names, joins data lines and skips comments, whatever the pieces', () => {
    const text = ': ping\n\ndata: one\n\nevent: end\ndata: {"code":0}\n\ndata: a\r\ndata:b\r\rdata: c\n\n';
    const whole = sseParser();
    const all = [...whole.push(text), ...whole.end()];
    expect(all).toEqual([
      { event: 'message', data: 'one' },
      { event: 'end', data: '{"code":0}' },
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
    // One character at a time: a CRLF split across pieces is still one line break.
    const bytewise = sseParser();
    const pieces = [...text].flatMap((ch) => bytewise.push(ch));
    expect([...pieces, ...bytewise.end()]).toEqual(all);
  });

  it('delivers a last message that lacks its blank line when the stream ends', () => {
    const p = sseParser();
    expect(p.push('event: error\ndata: {"error":"boom"}')).toEqual([]);
    expect(p.end()).toEqual([{ event: 'error', data: '{"error":"boom"}' }]);
  });

  it('reads a byte stream with a multibyte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: café ✓\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 10));
        c.enqueue(bytes.slice(10));
        c.close();
      },
    });
    const got = [];
    for await (const m of sseMessages(body)) got.push(m);
    expect(got).toEqual([{ event: 'message', data: 'café ✓' }]);
  });
});
