import { describe, expect, it } from 'vitest';
import { keyOnlyResult, publicKeyResult } from './public-key.js';

describe('Show public key', () => {
  it('gives the key and one copy box per node', () => {
    const result = publicKeyResult({
      public_key: 'ssh-ed25519 AAAAC3Nza spark-control',
      fingerprint: 'SHA256:abc',
      commands: [
        { node: 'spark1', host: 'spark1.local', user: 'alice', command: "echo 'ssh-ed25519 …' >> x" },
      ],
    });
    expect(result.result.value.map((m) => [m.name, m.value, m.copyable])).toEqual([
      ['Public key', 'ssh-ed25519 AAAAC3Nza spark-control', true],
      ['spark1', "echo 'ssh-ed25519 …' >> x", true],
    ]);
    expect(publicKeyResult({ public_key: 'k', fingerprint: 'f', commands: [] }).message).toContain(
      'Configure Sparks',
    );
  });

  it('shows the key alone when admin sign-in keeps the API closed', () => {
    const result = keyOnlyResult('ssh-ed25519 AAAAC3Nza spark-control\n');
    expect(result.result.value).toEqual([
      expect.objectContaining({ value: 'ssh-ed25519 AAAAC3Nza spark-control', copyable: true }),
    ]);
    expect(result.message).toContain('Admin sign-in is on');
  });
});
