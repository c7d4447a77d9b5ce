import { describe, expect, it } from 'vitest';
import { refusalOf } from './config.js';

describe('refusalOf', () => {
  it('reads a CONFIG_INVALID answer with its problems', () => {
    const body = {
      error: {
        code: 'CONFIG_INVALID',
        message: '2 problems',
        problems: [
          { path: 'nodes.0.host', message: 'bad host' },
          { path: 'x', nope: true },
        ],
      },
    };
    expect(refusalOf(400, body)).toEqual({
      ok: false,
      message: '2 problems',
      problems: [{ path: 'nodes.0.host', message: 'bad host' }],
    });
  });

  it('leaves every other failure to be thrown', () => {
    expect(refusalOf(400, { error: { code: 'BAD_REQUEST', message: 'no body' } })).toBeNull();
    expect(refusalOf(409, { error: { code: 'CONFIG_INVALID', message: 'x', problems: [] } })).toBeNull();
    expect(refusalOf(400, { error: { code: 'CONFIG_INVALID', message: 'x' } })).toBeNull();
    expect(refusalOf(400, null)).toBeNull();
    expect(refusalOf(400, 'text')).toBeNull();
  });
});
