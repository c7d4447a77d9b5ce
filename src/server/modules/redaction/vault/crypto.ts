// Values at rest: AES-256-GCM with one 32-byte key in DATA_DIR (redaction.key, mode 0600, created
// once). Each value gets a fresh 96-bit IV; the task id and placeholder are the additional data,
// so a sealed value moved to another row (or another task) fails to open instead of answering
// with someone else's value. The key never leaves this file: no method returns or logs it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE = 'redaction.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** IVs drawn from the CSPRNG in one call per this many (a randomBytes call per value was ~10 % of a scrub's vault time). */
const IV_BATCH = 256;

export interface Sealed {
  ct: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export class VaultKeyError extends Error {
  override name = 'VaultKeyError';
}

export interface LoadedKey {
  cipher: VaultCipher;
  /** The file did not exist and was created now (older sealed values can no longer be opened). */
  created: boolean;
  /** The file was readable by others and was narrowed to 0600. */
  narrowed: boolean;
}

/**
 * Reads DATA_DIR/redaction.key, creating it (0600, exclusive create: two processes starting at
 * once agree on one key) when absent. A file readable by group or others is narrowed to 0600 and
 * reported (what a copy with the wrong umask does); a file of the wrong size stops start-up,
 * because a replaced key would make every stored value unreadable.
 */
export function loadOrCreateVaultKey(dataDir: string): LoadedKey {
  const path = join(dataDir, KEY_FILE);
  let created = false;
  try {
    writeFileSync(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  let narrowed = false;
  if ((statSync(path).mode & 0o077) !== 0) {
    chmodSync(path, 0o600);
    narrowed = true;
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES)
    throw new VaultKeyError(
      `The redaction vault key ${path} is ${key.length} bytes, not ${KEY_BYTES}; restore the original file (or remove it to start an empty vault).`,
    );
  return { cipher: new VaultCipher(key), created, narrowed };
}

export class VaultCipher {
  readonly #key: Buffer;
  // Fresh CSPRNG bytes, each 12-byte slice handed out once and never written again (a new buffer
  // on refill): the same unpredictable, never-repeated IVs as one randomBytes call per value.
  #ivPool = Buffer.alloc(0);
  #ivAt = 0;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new VaultKeyError(`a vault key is ${KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
  }

  seal(value: string, aad: string): Sealed {
    const iv = this.#nextIv();
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
    return { ct, iv, tag: c.getAuthTag() };
  }

  #nextIv(): Buffer {
    if (this.#ivAt + IV_BYTES > this.#ivPool.length) {
      this.#ivPool = randomBytes(IV_BYTES * IV_BATCH);
      this.#ivAt = 0;
    }
    this.#ivAt += IV_BYTES;
    return this.#ivPool.subarray(this.#ivAt - IV_BYTES, this.#ivAt);
  }

  /** Throws when the value was sealed under another key or for another row. */
  open(s: Sealed, aad: string): string {
    const d = createDecipheriv('aes-256-gcm', this.#key, s.iv);
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(s.tag);
    return Buffer.concat([d.update(s.ct), d.final()]).toString('utf8');
  }

  /** Never the key: a logger or JSON.stringify that reaches this object prints nothing secret. */
  toJSON(): string {
    return '[VaultCipher]';
  }
}

/** The additional data binding a sealed value to its row. */
export const rowAad = (taskId: string, placeholder: string) => `${taskId}\u0000${placeholder}`;
