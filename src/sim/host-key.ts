// SSH identity of a simulated node: a persisted ed25519 host key (so known_hosts pinning in the
// control plane survives restarts and nodeUp) and public-key authentication that accepts only
// the configured keys, with the client's signature really verified.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey, PublicKeyAuthContext } from 'ssh2';
// ssh2's generator yields an unusable ed25519 key about 1 time in 256; this one retries.
import { generateEd25519 } from '../server/platform/remote/keys.js';

const { utils } = ssh2;

export function loadOrCreateHostKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const { private: priv } = generateEd25519('spark-sim-host');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, priv, { mode: 0o600 });
  return priv;
}

function parseOne(text: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) throw new Error(`invalid SSH key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('invalid SSH key: empty');
  return key;
}

export type KeyChecker = (ctx: PublicKeyAuthContext) => boolean;

/** Accepts a public-key attempt only for a listed key and, when signed, only with a valid signature. */
export function makeKeyChecker(authorizedKeys: string[]): KeyChecker {
  const keys = authorizedKeys
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map(parseOne);
  return checkerFor(keys);
}

/**
 * Like sshd: the keys given at start plus whatever `~/.ssh/authorized_keys` holds at each login, so
 * an owner who pastes the "Show public key" command on the node is let in at the next attempt.
 */
export function withAuthorizedKeysFile(base: KeyChecker, file: string): KeyChecker {
  return (ctx) => {
    if (base(ctx)) return true;
    let lines: string[];
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      return false;
    }
    const keys = lines.flatMap((line) => {
      const t = line.trim();
      if (!t || t.startsWith('#')) return [];
      try {
        return [parseOne(t)];
      } catch {
        return []; // sshd skips lines it cannot read
      }
    });
    return checkerFor(keys)(ctx);
  };
}

function checkerFor(keys: ParsedKey[]): KeyChecker {
  return (ctx) => {
    const key = keys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
    if (!key) return false;
    // Without a signature the client is only asking "would this key do?" (SSH_MSG_USERAUTH_PK_OK).
    if (!ctx.signature || !ctx.blob) return true;
    return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
  };
}
