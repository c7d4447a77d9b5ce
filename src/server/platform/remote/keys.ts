// The control plane's own SSH identity: one ed25519 key pair under DATA_DIR, created on first start
// and reused afterwards, plus the paste-ready command that authorizes it on a Spark.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { AppError } from '../http/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { sha256Fingerprint } from './fingerprint.js';
import { homePath, sh, type ShellCommand } from './sh.js';

const COMMENT = 'spark-control';

export interface ControlPlaneKeys {
  /** OpenSSH-format private key, as ssh2's `privateKey` option takes it. */
  privateKey: Buffer;
  /** `ssh-ed25519 AAAA… spark-control`, one line, ready for authorized_keys. */
  publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -l` shows it. */
  fingerprint: string;
}

/** Length of an ssh-ed25519 public blob: string "ssh-ed25519" (4 + 11) + string key (4 + 32). */
const ED25519_BLOB_LENGTH = 51;

/**
 * ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from the public key
 * (mscdex/ssh2#1390), so about 1 key in 256 is malformed and cannot be parsed back. Draw again
 * until the pair round-trips; everything that generates an ed25519 key should use this.
 */
export function generateEd25519(comment = COMMENT): { private: string; public: string } {
  for (let attempt = 0; attempt < 16; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const parsed = ssh2.utils.parseKey(pair.private);
    const pub = ssh2.utils.parseKey(pair.public);
    if (parsed instanceof Error || pub instanceof Error) continue;
    if (parsed.getPublicSSH().length === ED25519_BLOB_LENGTH) return pair;
  }
  throw new AppError('INTERNAL', 'could not generate a valid ed25519 key pair');
}

function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Loads `<dataDir>/ssh/id_ed25519`, creating it (mode 0600, dir 0700) when missing. Synchronous: it
 * runs once in the composition root before anything else needs the key.
 */
export function loadOrCreateKeyPair(dataDir: string): ControlPlaneKeys {
  const dir = join(dataDir, 'ssh');
  const keyPath = join(dir, 'id_ed25519');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone; the key must not be readable by others either way.
  chmodSync(dir, 0o700);

  let pem = readIfExists(keyPath);
  if (pem === null) {
    const pair = generateEd25519();
    // Private key last: its presence is what marks the pair as complete.
    writeFileAtomic(`${keyPath}.pub`, `${pair.public}\n`, 0o644);
    writeFileAtomic(keyPath, pair.private, 0o600);
    pem = Buffer.from(pair.private);
  } else {
    chmodSync(keyPath, 0o600);
  }

  const parsed = ssh2.utils.parseKey(pem);
  if (parsed instanceof Error) {
    throw new AppError('INTERNAL', `the control plane's SSH key ${keyPath} is unreadable: ${parsed.message}`);
  }
  // Derive the public half from the private key so a stale or edited .pub can never be served.
  const blob = parsed.getPublicSSH();
  const publicKey = `${parsed.type} ${blob.toString('base64')} ${COMMENT}`;
  if (readIfExists(`${keyPath}.pub`)?.toString().trim() !== publicKey) {
    writeFileAtomic(`${keyPath}.pub`, `${publicKey}\n`, 0o644);
  }
  return { privateKey: pem, publicKey, fingerprint: sha256Fingerprint(blob) };
}

const PUBLIC_KEY_RE =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,2}( [\w.@-]+)?$/;

/**
 * A one-liner to run on the Spark (as the SSH user) that authorizes `publicKey`. Idempotent: the key
 * is appended only when that exact line is missing, after a newline if the file lacks a final one.
 * POSIX sh syntax, so it works in bash, dash and zsh.
 */
export function authorizeCommand(publicKey: string): ShellCommand {
  const key = publicKey.trim();
  if (!PUBLIC_KEY_RE.test(key))
    throw new AppError('INVALID_INPUT', 'public key must be one OpenSSH public key line');
  const dir = homePath('.ssh');
  const file = homePath('.ssh/authorized_keys');
  // A subshell keeps $f and $k out of the user's interactive shell.
  return sh`(f=${file} && k=${key} && mkdir -p ${dir} && chmod 700 ${dir} && touch "$f" && chmod 600 "$f" && { grep -qxF "$k" "$f" || { [ ! -s "$f" ] || [ -z "$(tail -c1 "$f")" ] || echo; printf '%s\\n' "$k"; } >> "$f"; })`;
}
