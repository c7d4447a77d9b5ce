import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, redactUrl, serializeRequest } from './log.js';

describe('redactUrl', () => {
  it('blanks the values of credential query parameters, whatever their case or escaping', () => {
    expect(redactUrl('/v1/models?api_key=sk-1')).toBe(`/v1/models?api_key=${REDACTED}`);
    expect(redactUrl('/x?a=1&KEY=s&token=t&b=2')).toBe(`/x?a=1&KEY=${REDACTED}&token=${REDACTED}&b=2`);
    expect(redactUrl('/x?api%5Fkey=s&access-token=t')).toBe(
      `/x?api%5Fkey=${REDACTED}&access-token=${REDACTED}`,
    );
    expect(redactUrl('/x?password=p%ZZ&%E0%A4%A=v')).toBe(`/x?password=${REDACTED}&%E0%A4%A=v`);
  });

  it('leaves URLs without secrets as they are', () => {
    for (const u of ['/api/status', '/api/jobs?limit=5&kind=swap', '/x?', '/x?keyboard=1&monkey=2', '/x?key'])
      expect(redactUrl(u)).toBe(u);
  });
});

describe('createLogger', () => {
  it('never writes secrets: redacted paths and request URLs', () => {
    const out: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(c: Buffer, _e, cb) {
          out.push(c.toString());
          cb();
        },
      }),
    );
    log.info({
      req: { method: 'GET', url: '/v1/models?api_key=SECRET1', headers: { authorization: 'Bearer SECRET2' } },
    });
    log.info({ config: { ngc_api_key: 'SECRET3', hf_token: 'SECRET4' }, login: { password: 'SECRET5' } });
    log.info({
      secrets: { qdrant_api_key: 'SECRET6' },
      qdrant: { apiKey: 'SECRET7', headers: { 'api-key': 'SECRET8' } },
    });
    expect(out.join('')).not.toMatch(/SECRET\d/);
    expect(serializeRequest({ method: 'GET', url: '/a?token=x', ip: '127.0.0.1' })).toEqual({
      method: 'GET',
      url: `/a?token=${REDACTED}`,
      host: undefined,
      remoteAddress: '127.0.0.1',
      remotePort: undefined,
    });
  });
});
