import { describe, expect, it } from 'vitest';
import { decodeChunked, MAX_HEAD, parseHead, type ResponseHead } from './http1-head.js';

const head = (s: string) => parseHead(Buffer.from(s, 'latin1'));

describe('parseHead', () => {
  it('reads the status, lower-cased headers and the head length', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
    const h = head(`${text}5\r\nhello`) as ResponseHead;
    expect(h.status).toBe(200);
    expect(h.headers['content-type']).toBe('text/event-stream');
    expect(h.headers['transfer-encoding']).toBe('chunked');
    expect(h.keepAlive).toBe(true);
    expect(h.length).toBe(text.length);
  });

  it('waits for an incomplete head, and refuses one that never ends', () => {
    expect(head('HTTP/1.1 200 OK\r\ncontent-type: x\r\n')).toBeNull();
    expect(head(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(MAX_HEAD)}`)).toBeInstanceOf(Error);
  });

  it('knows when the connection cannot carry another request', () => {
    expect((head('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n') as ResponseHead).keepAlive).toBe(false);
    expect((head('HTTP/1.0 200 OK\r\n\r\n') as ResponseHead).keepAlive).toBe(false);
    expect((head('HTTP/1.0 200 OK\r\nconnection: keep-alive\r\n\r\n') as ResponseHead).keepAlive).toBe(true);
  });

  it('skips interim 1xx answers and joins repeated headers', () => {
    const h = head(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nx-a: 1\r\nX-A: 2\r\n\r\n',
    ) as ResponseHead;
    expect(h.status).toBe(404);
    expect(h.headers['x-a']).toBe('1, 2');
  });

  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
    ['a header name with a space', 'HTTP/1.1 200 OK\r\nbad name: 1\r\n\r\n'],
  ])('refuses %s', (_, text) => {
    expect(head(text)).toBeInstanceOf(Error);
  });
});

describe('decodeChunked', () => {
  it('joins the payloads, ignoring extensions and the last chunk', () => {
    expect(decodeChunked(Buffer.from('3;x=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')).toString()).toBe('abcde');
  });

  it('keeps what arrived of a body cut off', () => {
    expect(decodeChunked(Buffer.from('3\r\nabc\r\n5\r\nde')).toString()).toBe('abcde');
  });
});
