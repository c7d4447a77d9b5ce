import { describe, expect, it } from 'vitest';
import { hashPasswordSync, parsePasswordHash, verifyPassword } from './password.js';

const FAST = { N: 2 ** 14, r: 8, p: 1 };

describe('admin password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = hashPasswordSync('correct horse battery', FAST);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batter', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('salts every hash', () => {
    expect(hashPasswordSync('same', FAST)).not.toBe(hashPasswordSync('same', FAST));
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const hash = hashPasswordSync('caf\u00e9-password', FAST);
    await expect(verifyPassword('cafe\u0301-password', hash)).resolves.toBe(true);
  });

  it('refuses malformed and weak hashes without throwing', async () => {
    const good = hashPasswordSync('x', FAST).split('$');
    const variants = {
      'wrong scheme': ['argon2', ...good.slice(1)].join('$'),
      'N not a power of two': ['scrypt', '20000', ...good.slice(2)].join('$'),
      'N too small': ['scrypt', '1024', ...good.slice(2)].join('$'),
      'r too small': ['scrypt', good[1], '1', ...good.slice(3)].join('$'),
      'short salt': ['scrypt', good[1], good[2], good[3], 'AAAA', good[5]].join('$'),
      'bad base64': ['scrypt', good[1], good[2], good[3], good[4], 'not base64!'].join('$'),
      'too few parts': good.slice(0, 5).join('$'),
    };
    for (const [what, hash] of Object.entries(variants)) {
      expect('error' in parsePasswordHash(hash!), what).toBe(true);
      await expect(verifyPassword('x', hash!), what).resolves.toBe(false);
    }
    expect(parsePasswordHash(good.join('$'))).toMatchObject({ N: 16384, r: 8, p: 1 });
  });
});
