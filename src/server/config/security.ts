// Security settings (SPEC §14): the Host allow-list, trusted origins and optional admin auth.
// Read from the environment like everything else, checked once at start-up (every problem
// listed), and resolved into AppConfig. Problems name entries, never secrets.
import { hashPasswordSync, parsePasswordHash } from '../modules/auth/password.js';
import type { ConfigFile } from './schema.js';
import type { AppConfig } from './types.js';

type Env = Record<string, string | undefined>;

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A host name, optionally `*.` for any subdomain; IP literals need no entry (always allowed). */
export const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/i;
export const MIN_TOKEN_LENGTH = 16;

const list = (raw: string) =>
  raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** `https://host[:port]` → its normalized origin, or null when it is not a bare http(s) origin. */
export function normalizeOrigin(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return null;
  return url.origin;
}

/** ALLOWED_HOSTS, TRUSTED_ORIGINS, ADMIN_PASSWORD(_HASH), ADMIN_TOKENS into the file's shape. */
export function readSecurityEnv(env: Env, file: ConfigFile, problems: string[]): void {
  const str = (k: string) => (env[k]?.trim() ? env[k]!.trim() : undefined);
  const hosts = str('ALLOWED_HOSTS');
  if (hosts) file.allowed_hosts = list(hosts);
  const origins = str('TRUSTED_ORIGINS');
  if (origins) file.trusted_origins = list(origins);

  const auth: NonNullable<ConfigFile['auth']> = {};
  const hash = str('ADMIN_PASSWORD_HASH');
  // Not trimmed: spaces may be part of a password. Hashed here, so the plain text is kept nowhere.
  const password = env.ADMIN_PASSWORD;
  if (hash && password) problems.push('ADMIN_PASSWORD and ADMIN_PASSWORD_HASH are both set; keep one');
  else if (hash) auth.admin_password_hash = hash;
  else if (password !== undefined && password !== '') {
    if (password.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters long');
    else auth.admin_password_hash = hashPasswordSync(password);
  }
  // Gone from the environment once read, so no child process (the simulator's shells) inherits it.
  delete env.ADMIN_PASSWORD;
  const tokens = str('ADMIN_TOKENS');
  if (tokens) {
    auth.admin_tokens = [];
    list(tokens).forEach((entry, i) => {
      const at = entry.indexOf(':');
      const name = at > 0 ? entry.slice(0, at).trim() : '';
      const token = at > 0 ? entry.slice(at + 1).trim() : '';
      if (!TOKEN_NAME.test(name) || token === '' || /\s/.test(token))
        problems.push(`ADMIN_TOKENS entry ${i + 1} must be name:token (name: letters, digits, _ . -)`);
      else auth.admin_tokens!.push({ name, token });
    });
  }
  if (Object.keys(auth).length > 0) file.auth = auth;
}

/** Everything the schema cannot say: origin shapes, hash format, unique and strong tokens. */
export function checkSecurity(merged: ConfigFile, problems: string[]): void {
  for (const h of merged.allowed_hosts ?? [])
    if (!HOST_PATTERN.test(h) || h.length > 253)
      problems.push(
        `allowed_hosts: "${h}" is not a host name (use a name like spark.example.com or *.example.com, no port)`,
      );
  for (const o of merged.trusted_origins ?? [])
    if (normalizeOrigin(o) === null)
      problems.push(
        `trusted_origins: "${o}" is not an origin like https://spark.example.com or http://192.0.2.10:9999`,
      );
  const hash = merged.auth?.admin_password_hash;
  if (hash !== undefined) {
    const parsed = parsePasswordHash(hash);
    if ('error' in parsed) problems.push(`auth.admin_password_hash ${parsed.error}`);
  }
  const names = new Set<string>();
  const secrets = new Set<string>();
  const apiKeys = new Set((merged.api_keys ?? []).map((k) => k.key));
  for (const t of merged.auth?.admin_tokens ?? []) {
    if (names.has(t.name)) problems.push(`auth.admin_tokens: the name "${t.name}" is used twice`);
    if (t.token.length < MIN_TOKEN_LENGTH)
      problems.push(`auth.admin_tokens: "${t.name}" must be at least ${MIN_TOKEN_LENGTH} characters long`);
    if (secrets.has(t.token))
      problems.push(`auth.admin_tokens: "${t.name}" has the same token as another entry`);
    // A /v1 key must never grant control routes, so the two lists may not share a secret.
    if (apiKeys.has(t.token))
      problems.push(
        `auth.admin_tokens: "${t.name}" is also a gateway API key; admin tokens must be separate`,
      );
    names.add(t.name);
    secrets.add(t.token);
  }
}

export function resolveSecurity(
  merged: ConfigFile,
): Pick<AppConfig, 'allowed_hosts' | 'trusted_origins' | 'auth'> {
  return {
    allowed_hosts: (merged.allowed_hosts ?? []).map((h) => h.toLowerCase()),
    trusted_origins: (merged.trusted_origins ?? []).map((o) => normalizeOrigin(o)!),
    auth: {
      admin_password_hash: merged.auth?.admin_password_hash?.trim() ?? null,
      admin_tokens: (merged.auth?.admin_tokens ?? []).map((t) => ({ name: t.name, token: t.token })),
      session_hours: merged.auth?.session_hours ?? 168,
    },
  };
}
