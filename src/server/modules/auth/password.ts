// Admin password hashing with scrypt (Node's built-in, memory-hard KDF). The stored form describes
// itself — `scrypt$N$r$p$salt$hash` (salt and hash base64url) — so stronger parameters can be
// adopted later without breaking hashes already written into config files.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's recommended minimum for scrypt: 128 MiB of memory per hash. */
export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** Weaker hashes are refused at start-up: they would make a leaked config file cheap to attack. */
const MIN_N = 2 ** 14;
const MAX_N = 2 ** 20;
const KEY_LEN = 32;
const SALT_LEN = 16;

export interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Parses `scrypt$N$r$p$salt$hash`; the error says what is wrong without repeating the value. */
export function parsePasswordHash(encoded: string): ParsedHash | { error: string } {
  const parts = encoded.trim().split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt')
    return { error: 'must have the form scrypt$N$r$p$salt$hash (create one with `npm run hash-password`)' };
  const [, nRaw, rRaw, pRaw, saltRaw, hashRaw] = parts as [string, string, string, string, string, string];
  const [N, r, p] = [nRaw, rRaw, pRaw].map((v) => (/^\d{1,8}$/.test(v) ? Number(v) : NaN)) as [
    number,
    number,
    number,
  ];
  if (!Number.isInteger(N) || N < MIN_N || N > MAX_N || (N & (N - 1)) !== 0)
    return { error: `has N=${nRaw}; N must be a power of two from ${MIN_N} to ${MAX_N}` };
  if (!Number.isInteger(r) || r < 8 || r > 32) return { error: `has r=${rRaw}; r must be 8 to 32` };
  if (!Number.isInteger(p) || p < 1 || p > 16) return { error: `has p=${pRaw}; p must be 1 to 16` };
  if (!B64URL.test(saltRaw) || !B64URL.test(hashRaw))
    return { error: 'has a salt or hash that is not base64url' };
  const salt = Buffer.from(saltRaw, 'base64url');
  const hash = Buffer.from(hashRaw, 'base64url');
  if (salt.length < 16) return { error: 'has a salt shorter than 16 bytes' };
  if (hash.length < 32 || hash.length > 64) return { error: 'has a hash that is not 32 to 64 bytes long' };
  return { N, r, p, salt, hash };
}

const options = (o: ScryptParams): ScryptOptions => ({
  N: o.N,
  r: o.r,
  p: o.p,
  // Node's default ceiling (32 MiB) is below what these parameters need (128·N·r bytes).
  maxmem: 128 * o.N * o.r * o.p + 16 * 1024 * 1024,
});

const encode = (o: ScryptParams, salt: Buffer, hash: Buffer) =>
  `scrypt$${o.N}$${o.r}$${o.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;

/** Synchronous: used once at start-up for ADMIN_PASSWORD and by the hash-password script. */
export function hashPasswordSync(password: string, params: ScryptParams = DEFAULT_PARAMS): string {
  const salt = randomBytes(SALT_LEN);
  return encode(params, salt, scryptSync(password.normalize('NFC'), salt, KEY_LEN, options(params)));
}

/** Checks a password against a stored hash in the libuv pool (never blocks the event loop). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if ('error' in parsed) return false;
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), parsed.salt, parsed.hash.length, options(parsed), (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
  return timingSafeEqual(derived, parsed.hash);
}
