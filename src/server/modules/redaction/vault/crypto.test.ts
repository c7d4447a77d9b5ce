import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_FILE, loadOrCreateVaultKey, rowAad, VaultKeyError } from './crypto.js';

describe('vault key and cipher', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-vault-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the key once, mode 0600, and reads the same key afterwards', () => {
    const first = loadOrCreateVaultKey(dir);
    expect(first.created).toBe(true);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const sealed = first.cipher.seal('alice@example.com', rowAad('t', '[EMAIL_1]'));
    const second = loadOrCreateVaultKey(dir);
    expect(second.created).toBe(false);
    expect(second.cipher.open(sealed, rowAad('t', '[EMAIL_1]'))).toBe('alice@example.com');
  });

  it('narrows a key file others can read, and refuses one of the wrong size', () => {
    loadOrCreateVaultKey(dir);
    chmodSync(join(dir, KEY_FILE), 0o644);
    expect(loadOrCreateVaultKey(dir).narrowed).toBe(true);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, KEY_FILE), Buffer.alloc(16));
    expect(() => loadOrCreateVaultKey(dir)).toThrow(VaultKeyError);
  });

  it('seals with a fresh IV each time, and a value moved to another row does not open', () => {
    const { cipher } = loadOrCreateVaultKey(dir);
    const a = cipher.seal('4111 1111 1111 1111', rowAad('t1', '[CARD_1]'));
    const b = cipher.seal('4111 1111 1111 1111', rowAad('t1', '[CARD_1]'));
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ct.includes(Buffer.from('4111'))).toBe(false);
    expect(() => cipher.open(a, rowAad('t2', '[CARD_1]'))).toThrow();
    expect(() => cipher.open(a, rowAad('t1', '[CARD_2]'))).toThrow();
    expect(JSON.stringify({ cipher })).toBe('{"cipher":"[VaultCipher]"}');
  });

  it('never hands out one IV twice, across refills of its batch', () => {
    const { cipher } = loadOrCreateVaultKey(dir);
    const sealed = Array.from({ length: 600 }, (_, i) => cipher.seal(`v${i}`, rowAad('t', `[X_${i}]`)));
    expect(new Set(sealed.map((s) => s.iv.toString('hex'))).size).toBe(600);
    expect(sealed.every((s) => s.iv.length === 12)).toBe(true);
    sealed.forEach((s, i) => expect(cipher.open(s, rowAad('t', `[X_${i}]`))).toBe(`v${i}`));
  });
});
