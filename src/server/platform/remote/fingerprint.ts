// SSH public key blobs (RFC 4253 §6.6 wire format) → the names people compare: the key type and the
// `SHA256:…` fingerprint exactly as `ssh-keygen -l` prints it.
import { createHash } from 'node:crypto';

/** `SHA256:` + unpadded base64 of the blob's SHA-256, like OpenSSH. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name the blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return 'unknown';
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return /^[\w@.-]+$/.test(type) ? type : 'unknown';
}
