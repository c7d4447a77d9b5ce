import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { sha256Fingerprint, keyTypeOf } from './fingerprint.js';
import { generateEd25519 } from './keys.js';
import { KnownHosts } from './known-hosts.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sc-kh-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hostKeyBlob = () => {
  const k = ssh2.utils.parseKey(generateEd25519().private);
  if (k instanceof Error) throw k;
  return k.getPublicSSH();
};

describe('KnownHosts', () => {
  it('pins on first use, trusts the same key, flags a different one', () => {
    const data = tempDir();
    const kh = new KnownHosts(data);
    const [a, b] = [hostKeyBlob(), hostKeyBlob()];
    expect(kh.check('127.0.0.1:2222', a)).toBe('new');
    expect(kh.check('127.0.0.1:2222', a)).toBe('trusted');
    expect(kh.check('127.0.0.1:2222', b)).toEqual({
      mismatch: true,
      expected: sha256Fingerprint(a),
      presented: sha256Fingerprint(b),
    });
    // A different port is a different host.
    expect(kh.check('127.0.0.1:2223', b)).toBe('new');
    expect(kh.list().map((h) => h.hostPort)).toEqual(['127.0.0.1:2222', '127.0.0.1:2223']);
    expect(kh.get('127.0.0.1:2222')).toMatchObject({
      type: 'ssh-ed25519',
      fingerprint: sha256Fingerprint(a),
    });
  });

  it('persists atomically to known_hosts.json (0600, no temp files) and reloads', () => {
    const data = tempDir();
    const blob = hostKeyBlob();
    new KnownHosts(data).check('127.0.0.1:22', blob);
    const file = join(data, 'known_hosts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(data)).toEqual(['known_hosts.json']);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { hosts: Record<string, Record<string, string>> };
    expect(json.hosts['127.0.0.1:22']).toMatchObject({
      type: 'ssh-ed25519',
      fingerprint: sha256Fingerprint(blob),
    });
    expect(Date.parse(json.hosts['127.0.0.1:22']!.first_seen!)).not.toBeNaN();
    const again = new KnownHosts(data);
    expect(again.check('127.0.0.1:22', blob)).toBe('trusted');
    expect(again.forget('127.0.0.1:22')).toBe(true);
    expect(again.forget('127.0.0.1:22')).toBe(false);
    expect(new KnownHosts(data).check('127.0.0.1:22', hostKeyBlob())).toBe('new');
  });

  it('refuses to start from a corrupt file rather than trusting everything again', () => {
    const data = tempDir();
    writeFileSync(join(data, 'known_hosts.json'), '{not json');
    expect(() => new KnownHosts(data)).toThrow(AppError);
    expect(() => new KnownHosts(data)).toThrow(/delete it/);
  });
});

describe('fingerprint helpers', () => {
  it('read the key type and tolerate junk', () => {
    expect(keyTypeOf(hostKeyBlob())).toBe('ssh-ed25519');
    expect(keyTypeOf(Buffer.from([0, 0]))).toBe('unknown');
    expect(keyTypeOf(Buffer.from([0, 0, 0, 200, 1]))).toBe('unknown');
    expect(sha256Fingerprint(Buffer.from('x'))).toMatch(/^SHA256:[A-Za-z0-9+/]+$/);
  });
});
