import { createServer } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { requestErrorCode } from './request-error.js';

describe('requestErrorCode', () => {
  it('finds the socket code undici nests under UND_ERR_SOCKET', () => {
    const socket = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    const wrapped = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET', cause: socket });
    expect(requestErrorCode(wrapped)).toBe('ECONNRESET');
  });

  it('answers the outer code when it is not the generic socket one', () => {
    expect(requestErrorCode(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(
      'UND_ERR_HEADERS_TIMEOUT',
    );
  });

  it('is undefined for errors without a code, non-errors and a bare UND_ERR_SOCKET', () => {
    expect(requestErrorCode(new Error('plain'))).toBeUndefined();
    expect(requestErrorCode(null)).toBeUndefined();
    expect(requestErrorCode('text')).toBeUndefined();
    expect(requestErrorCode(Object.assign(new Error('s'), { code: 'UND_ERR_SOCKET' }))).toBeUndefined();
  });

  it('stops on a cause cycle instead of looping', () => {
    const a: { code?: unknown; cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    expect(requestErrorCode(a)).toBeUndefined();
  });

  it('reads ECONNREFUSED from a real refused request', async () => {
    // A port that was just free: bind, note it, close, then connect to it.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const err = await request(`http://127.0.0.1:${port}/`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(requestErrorCode(err)).toBe('ECONNREFUSED');
  });
});
