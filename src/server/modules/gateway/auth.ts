// Optional gateway API keys. Keys are compared as SHA-256 digests with timingSafeEqual, against
// every configured key without stopping at the first match, so neither the length of a key nor
// its position in the list shows in the response time. Only names ever leave this file.
import { createHash, timingSafeEqual } from 'node:crypto';

export const ANONYMOUS = 'anonymous';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

export type AuthResult =
  { ok: true; name: string } | { ok: false; name: string; reason: 'missing' | 'invalid' };

export class ApiKeys {
  private readonly keys: { name: string; digest: Buffer }[];

  constructor(keys: readonly { name: string; key: string }[]) {
    this.keys = keys.map((k) => ({ name: k.name, digest: digest(k.key) }));
  }

  /** True when any key is configured: every /v1 request must then carry one. */
  get required(): boolean {
    return this.keys.length > 0;
  }

  get names(): string[] {
    return this.keys.map((k) => k.name);
  }

  /** Whose key the header carries; without configured keys everyone is `anonymous`. */
  check(authorization: string | undefined): AuthResult {
    if (!this.required) return { ok: true, name: ANONYMOUS };
    const token = bearerToken(authorization);
    if (token === null) return { ok: false, name: ANONYMOUS, reason: 'missing' };
    const got = digest(token);
    let match: string | null = null;
    for (const k of this.keys) {
      if (timingSafeEqual(got, k.digest) && match === null) match = k.name;
    }
    return match === null ? { ok: false, name: ANONYMOUS, reason: 'invalid' } : { ok: true, name: match };
  }
}
