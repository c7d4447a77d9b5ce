import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { AppError } from '../http/errors.js';
import { authorizeCommand, generateEd25519, loadOrCreateKeyPair } from './keys.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sc-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const mode = (p: string) => statSync(p).mode & 0o777;

describe('loadOrCreateKeyPair', () => {
  it('creates an ed25519 pair once, with safe permissions, and reuses it', () => {
    const data = tempDir();
    const k = loadOrCreateKeyPair(data);
    expect(k.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ spark-control$/);
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(mode(join(data, 'ssh'))).toBe(0o700);
    expect(mode(join(data, 'ssh/id_ed25519'))).toBe(0o600);
    expect(readFileSync(join(data, 'ssh/id_ed25519.pub'), 'utf8')).toBe(`${k.publicKey}\n`);
    expect(readdirSync(join(data, 'ssh')).sort()).toEqual(['id_ed25519', 'id_ed25519.pub']);
    expect(ssh2.utils.parseKey(k.privateKey)).not.toBeInstanceOf(Error);
    expect(loadOrCreateKeyPair(data)).toEqual(k);
  });

  it('matches ssh-keygen -l and repairs a stale .pub and loose permissions', () => {
    const data = tempDir();
    const k = loadOrCreateKeyPair(data);
    const keygen = spawnSync('ssh-keygen', ['-lf', join(data, 'ssh/id_ed25519.pub')]);
    if (keygen.status === 0) expect(keygen.stdout.toString()).toContain(k.fingerprint);
    writeFileSync(join(data, 'ssh/id_ed25519.pub'), 'ssh-ed25519 AAAAstale other\n');
    chmodSync(join(data, 'ssh/id_ed25519'), 0o644);
    chmodSync(join(data, 'ssh'), 0o755);
    expect(loadOrCreateKeyPair(data).publicKey).toBe(k.publicKey);
    expect(readFileSync(join(data, 'ssh/id_ed25519.pub'), 'utf8')).toBe(`${k.publicKey}\n`);
    expect(mode(join(data, 'ssh/id_ed25519'))).toBe(0o600);
    expect(mode(join(data, 'ssh'))).toBe(0o700);
  });

  it('refuses to start with an unreadable key instead of replacing it', () => {
    const data = tempDir();
    mkdirSync(join(data, 'ssh'), { recursive: true });
    writeFileSync(join(data, 'ssh/id_ed25519'), 'garbage');
    expect(() => loadOrCreateKeyPair(data)).toThrow(AppError);
    expect(readFileSync(join(data, 'ssh/id_ed25519'), 'utf8')).toBe('garbage');
  });
});

describe('generateEd25519', () => {
  it('only returns pairs that parse back (ssh2 alone breaks ~1 in 256)', () => {
    for (let i = 0; i < 1000; i++) {
      const pair = generateEd25519();
      const priv = ssh2.utils.parseKey(pair.private);
      const pub = ssh2.utils.parseKey(pair.public);
      if (priv instanceof Error || pub instanceof Error) throw new Error(`unparseable pair #${i}`);
      expect(priv.getPublicSSH().equals(pub.getPublicSSH())).toBe(true);
    }
  });
});

describe('authorizeCommand', () => {
  const key =
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFF2wWRrKlSnIAm6nqyoHM0EU0vLpE6ZfmBoCPRFQ/hd spark-control';

  const runIn = (shell: string, home: string) => {
    const r = runShellSandboxed(authorizeCommand(key).text, { shell, home });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
  };

  it.each(['bash', 'sh'])('appends the key once with the right permissions (%s)', (shell) => {
    const home = tempDir();
    runIn(shell, home);
    runIn(shell, home);
    expect(readFileSync(join(home, '.ssh/authorized_keys'), 'utf8')).toBe(`${key}\n`);
    expect(mode(join(home, '.ssh'))).toBe(0o700);
    expect(mode(join(home, '.ssh/authorized_keys'))).toBe(0o600);
  });

  it('keeps existing keys and adds a missing final newline first', () => {
    const home = tempDir();
    mkdirSync(join(home, '.ssh'), { mode: 0o755 });
    writeFileSync(join(home, '.ssh/authorized_keys'), 'ssh-rsa AAAAB3other laptop', { mode: 0o644 });
    runIn('bash', home);
    expect(readFileSync(join(home, '.ssh/authorized_keys'), 'utf8')).toBe(
      `ssh-rsa AAAAB3other laptop\n${key}\n`,
    );
    expect(mode(join(home, '.ssh'))).toBe(0o700);
    expect(mode(join(home, '.ssh/authorized_keys'))).toBe(0o600);
  });

  it('uses "$HOME", never a quoted ~, and refuses anything but one key line', () => {
    expect(authorizeCommand(key).text).toContain(`"$HOME"/.ssh/authorized_keys`);
    expect(authorizeCommand(key).text).not.toContain("'~");
    expect(authorizeCommand(key).text).not.toContain('\n'); // one line, paste-ready
    for (const bad of ['', 'ssh-ed25519', `${key}\n${key}`, `${key}; rm -rf ~`, 'ssh-ed25519 AAAA$(id)']) {
      expect(() => authorizeCommand(bad), bad).toThrow(AppError);
    }
  });
});
