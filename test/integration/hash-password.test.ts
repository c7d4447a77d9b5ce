// `npm run hash-password`: the password goes in on stdin (never argv) and a verifiable hash comes out.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/server/modules/auth/password.js';

const root = new URL('../../', import.meta.url).pathname;
const run = (input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/hash-password.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });

describe('hash-password script', () => {
  it('prints a strong scrypt hash of the password read from stdin', async () => {
    const r = run('piped password 1\n');
    expect(r.status).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(r.stdout + r.stderr).not.toContain('piped password 1');
    await expect(verifyPassword('piped password 1', hash)).resolves.toBe(true);
  });

  it('refuses a short password', () => {
    const r = run('short\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('at least 8 characters');
  });
});
