import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPasswordSync, verifyPassword } from '../modules/auth/password.js';
import { loadConfig } from './load.js';
import { normalizeOrigin } from './security.js';
import { loadWithFile, problemsOf, tmpDataDir } from '../../../test/helpers/config.js';

const FAST = { N: 2 ** 14, r: 8, p: 1 };
const dirs: string[] = [];
const tmp = () => {
  const d = tmpDataDir('sc-security-');
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('security settings', () => {
  it('are off and empty by default', () => {
    const { config } = loadConfig({ DATA_DIR: tmp() });
    expect(config.allowed_hosts).toEqual([]);
    expect(config.trusted_origins).toEqual([]);
    expect(config.auth).toEqual({ admin_password_hash: null, admin_tokens: [], session_hours: 168 });
  });

  it('reads hosts, origins and tokens from the environment, normalizing origins', () => {
    const { config } = loadConfig({
      DATA_DIR: tmp(),
      ALLOWED_HOSTS: 'Spark.Example.com, *.lan.example.com',
      TRUSTED_ORIGINS: 'HTTPS://Proxy.Example.com:443/,http://192.0.2.10:9999',
      ADMIN_TOKENS: 'cron:0123456789abcdef0123, cli:fedcba9876543210fedc',
    });
    expect(config.allowed_hosts).toEqual(['spark.example.com', '*.lan.example.com']);
    expect(config.trusted_origins).toEqual(['https://proxy.example.com', 'http://192.0.2.10:9999']);
    expect(config.auth.admin_tokens.map((t) => t.name)).toEqual(['cron', 'cli']);
  });

  it('hashes ADMIN_PASSWORD at start-up and keeps only the hash', async () => {
    const env: Record<string, string | undefined> = {
      DATA_DIR: tmp(),
      ADMIN_PASSWORD: 'correct horse battery',
    };
    const { config } = loadConfig(env);
    expect(env).not.toHaveProperty('ADMIN_PASSWORD');
    const hash = config.auth.admin_password_hash!;
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(JSON.stringify(config)).not.toContain('correct horse battery');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
  });

  it('takes a hash from the file, the environment winning', () => {
    const fileHash = hashPasswordSync('file password', FAST);
    const envHash = hashPasswordSync('env password', FAST);
    expect(loadWithFile(`auth: { admin_password_hash: '${fileHash}' }`).config.auth.admin_password_hash).toBe(
      fileHash,
    );
    const both = loadWithFile(`auth: { admin_password_hash: '${fileHash}', session_hours: 2 }`, {
      ADMIN_PASSWORD_HASH: envHash,
    });
    expect(both.config.auth).toMatchObject({ admin_password_hash: envHash, session_hours: 2 });
  });

  it('lists every problem at once and never repeats a secret', () => {
    const problems = problemsOf(() =>
      loadWithFile(
        [
          "allowed_hosts: ['evil host', 'spark.example.com:9999']",
          "trusted_origins: ['ftp://x.example.com', 'https://x.example.com/path', 'https://ok.example.com']",
          'api_keys: [{ name: app, key: shared-secret-0123456789 }]',
          'auth:',
          "  admin_password_hash: 'scrypt$1024$8$1$AAAA$BBBB'",
          '  admin_tokens:',
          '    - { name: a, token: shared-secret-0123456789 }',
          '    - { name: a, token: shared-secret-0123456789 }',
        ].join('\n'),
        { ADMIN_TOKENS: '' },
      ),
    );
    const text = problems.join('\n');
    expect(text).toContain('"evil host" is not a host name');
    expect(text).toContain('"spark.example.com:9999" is not a host name');
    expect(text).toContain('"ftp://x.example.com" is not an origin');
    expect(text).toContain('"https://x.example.com/path" is not an origin');
    expect(text).not.toContain('ok.example.com');
    expect(text).toContain('auth.admin_password_hash: has N=1024');
    expect(text).toContain('the name "a" is used twice');
    expect(text).toContain('"a" is also a gateway API key');
    expect(text).not.toContain('shared-secret');
  });

  it('refuses a short token, a short password and both password forms at once', () => {
    expect(problemsOf(() => loadConfig({ DATA_DIR: tmp(), ADMIN_TOKENS: 'cron:short' })).join()).toContain(
      'at least 16 characters',
    );
    expect(problemsOf(() => loadConfig({ DATA_DIR: tmp(), ADMIN_PASSWORD: 'short' })).join()).toContain(
      'ADMIN_PASSWORD: must be at least 8 characters',
    );
    expect(
      problemsOf(() =>
        loadConfig({ DATA_DIR: tmp(), ADMIN_PASSWORD: 'long enough', ADMIN_PASSWORD_HASH: 'scrypt$x' }),
      ).join(),
    ).toContain('ADMIN_PASSWORD: is set together with ADMIN_PASSWORD_HASH');
    expect(problemsOf(() => loadConfig({ DATA_DIR: tmp(), ADMIN_TOKENS: 'no-colon' })).join()).toContain(
      'ADMIN_TOKENS entry 1: must be name:token',
    );
  });

  it('normalizes only bare http(s) origins', () => {
    expect(normalizeOrigin('http://SPARK1.local:80')).toBe('http://spark1.local');
    expect(normalizeOrigin('https://[::1]:8443')).toBe('https://[::1]:8443');
    for (const bad of [
      'null',
      'javascript:alert(1)',
      'https://u:p@x.example.com',
      'https://x.example.com/?a',
      '',
    ])
      expect(normalizeOrigin(bad)).toBeNull();
  });
});
