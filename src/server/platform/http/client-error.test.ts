import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerClientError, clientErrorAnswer } from './client-error.js';

const err = (code: string) => Object.assign(new Error(code), { code });

describe('clientErrorAnswer', () => {
  it('answers timeouts, header overflow and bad HTTP in a shape both APIs parse', () => {
    const timeout = clientErrorAnswer(err('ERR_HTTP_REQUEST_TIMEOUT'));
    expect(timeout.status).toBe(408);
    expect(JSON.parse(timeout.body)).toEqual({
      error: {
        code: 'REQUEST_TIMEOUT',
        message: expect.stringContaining('did not arrive in time') as string,
        type: 'invalid_request_error',
        param: null,
      },
    });
    expect(clientErrorAnswer(err('HPE_HEADER_OVERFLOW')).status).toBe(431);
    expect(clientErrorAnswer(err('HPE_INVALID_METHOD')).status).toBe(400);
  });

  it('writes the answer with Connection: close and destroys the socket; a reset socket gets nothing', () => {
    const socket = new PassThrough() as unknown as Socket;
    let written = '';
    socket.on('data', (d: Buffer) => (written += d.toString()));
    answerClientError(err('ERR_HTTP_REQUEST_TIMEOUT'), socket);
    expect(written).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written).toContain('Connection: close');
    expect(socket.destroyed).toBe(true);

    const reset = new PassThrough() as unknown as Socket;
    let any = false;
    reset.on('data', () => (any = true));
    answerClientError(err('ECONNRESET'), reset);
    expect(any).toBe(false);
  });
});
