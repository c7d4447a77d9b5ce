// Security settings (SPEC §14): the Host allow-list, trusted origins and optional admin auth.
// Read from the environment like everything else, checked once at start-up (every problem
// listed), and resolved into AppConfig. Problems name entries, never secrets.
import { hashPasswordSync, parsePasswordHash } from '../modules/auth/password.js';
import type { ConfigFile } from './schema.js';
import type { AppConfig } from './types.js';
import type { Origins, Problem } from './problems.js';

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
export function readSecurityEnv(env: Env, file: ConfigFile, problems: Problem[], origins: Origins): void {
  const str = (k: string) => (env[k]?.trim() ? env[k]!.trim() : undefined);
  const hosts = str('ALLOWED_HOSTS');
  if (hosts) {
    file.allowed_hosts = list(hosts);
    origins.set('allowed_hosts', 'ALLOWED_HOSTS');
  }
  const origins_ = str('TRUSTED_ORIGINS');
  if (origins_) {
    file.trusted_origins = list(origins_);
    origins.set('trusted_origins', 'TRUSTED_ORIGINS');
  }

  const auth: NonNullable<ConfigFile['auth']> = {};
  const hash = str('ADMIN_PASSWORD_HASH');
  // Not trimmed: spaces may be part of a password. Hashed here, so the plain text is kept nowhere.
  const password = env.ADMIN_PASSWORD;
  if (hash && password)
    problems.push({ path: 'ADMIN_PASSWORD', message: 'is set together with ADMIN_PASSWORD_HASH; keep one' });
  else if (hash) {
    auth.admin_password_hash = hash;
    origins.set('auth.admin_password_hash', 'ADMIN_PASSWORD_HASH');
  } else if (password !== undefined && password !== '') {
    if (password.length < 8)
      problems.push({ path: 'ADMIN_PASSWORD', message: 'must be at least 8 characters long' });
    else auth.admin_password_hash = hashPasswordSync(password);
  }
  // Gone from the environment once read, so no child process (the simulator's shells) inherits it.
  delete env.ADMIN_PASSWORD;
  const tokens = str('ADMIN_TOKENS');
  if (tokens) {
    auth.admin_tokens = [];
    origins.set('auth.admin_tokens', 'ADMIN_TOKENS');
    list(tokens).forEach((entry, i) => {
      const at = entry.indexOf(':');
      const name = at > 0 ? entry.slice(0, at).trim() : '';
      const token = at > 0 ? entry.slice(at + 1).trim() : '';
      if (!TOKEN_NAME.test(name) || token === '' || /\s/.test(token))
        problems.push({
          path: `ADMIN_TOKENS entry ${i + 1}`,
          message: 'must be name:token (name: letters, digits, _ . -)',
        });
      else auth.admin_tokens!.push({ name, token });
    });
  }
  if (Object.keys(auth).length > 0) file.auth = auth;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
const entries = (v: unknown): [number, Obj][] =>
  Array.isArray(v) ? v.map((e, i): [number, Obj] => [i, asObj(e)]) : [];
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Key names must be unique (stats are per name) and no key may be shared; keys never appear in messages. */
export function checkApiKeys(candidate: unknown, problems: Problem[]): void {
  const names = new Map<string, number>();
  const secrets = new Set<string>();
  for (const [i, k] of entries(asObj(candidate).api_keys)) {
    const name = text(k.name);
    const key = text(k.key);
    if (name === undefined) continue;
    const path = `api_keys.${i}`;
    if (name === 'anonymous')
      problems.push({ path, message: 'the name "anonymous" is reserved for requests without a key' });
    if (names.has(name)) problems.push({ path, message: `the name "${name}" is used twice` });
    if (key !== undefined && secrets.has(key))
      problems.push({ path, message: `"${name}" has the same key as another entry` });
    names.set(name, i);
    if (key !== undefined) secrets.add(key);
  }
}

/** Everything the schema cannot say: origin shapes, hash format, unique and strong tokens. */
export function checkSecurity(candidate: unknown, problems: Problem[]): void {
  const c = asObj(candidate);
  for (const [i, h] of Array.isArray(c.allowed_hosts) ? c.allowed_hosts.entries() : [])
    if (typeof h === 'string' && (!HOST_PATTERN.test(h) || h.length > 253))
      problems.push({
        path: `allowed_hosts.${i}`,
        message: `"${h}" is not a host name (use a name like spark.example.com or *.example.com, no port)`,
      });
  for (const [i, o] of Array.isArray(c.trusted_origins) ? c.trusted_origins.entries() : [])
    if (typeof o === 'string' && normalizeOrigin(o) === null)
      problems.push({
        path: `trusted_origins.${i}`,
        message: `"${o}" is not an origin like https://spark.example.com or http://192.0.2.10:9999`,
      });
  const auth = asObj(c.auth);
  const hash = text(auth.admin_password_hash);
  if (hash !== undefined) {
    const parsed = parsePasswordHash(hash);
    if ('error' in parsed) problems.push({ path: 'auth.admin_password_hash', message: parsed.error });
  }
  const names = new Set<string>();
  const secrets = new Set<string>();
  const apiKeys = new Set(entries(c.api_keys).map(([, k]) => text(k.key)));
  for (const [i, t] of entries(auth.admin_tokens)) {
    const name = text(t.name);
    const token = text(t.token);
    if (name === undefined || token === undefined) continue;
    const path = `auth.admin_tokens.${i}`;
    if (names.has(name)) problems.push({ path, message: `the name "${name}" is used twice` });
    if (token.length < MIN_TOKEN_LENGTH)
      problems.push({ path, message: `"${name}" must be at least ${MIN_TOKEN_LENGTH} characters long` });
    if (secrets.has(token)) problems.push({ path, message: `"${name}" has the same token as another entry` });
    // A /v1 key must never grant control routes, so the two lists may not share a secret.
    if (apiKeys.has(token))
      problems.push({
        path,
        message: `"${name}" is also a gateway API key; admin tokens must be separate`,
      });
    names.add(name);
    secrets.add(token);
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
