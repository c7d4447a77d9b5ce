// Whitelist validators for every value that may reach a remote shell. They run at the API boundary
// (and the `sh` builder still quotes at the sink): each returns the normalized value or throws
// INVALID_INPUT with a message naming the field, so the client sees a 400 that says what to fix.
import { isIPv4, isIPv6 } from 'node:net';
import { AppError } from '../http/errors.js';

function fail(field: string, rule: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const preview = shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
  throw new AppError('INVALID_INPUT', `${field} ${rule} (got ${preview})`, { details: { field } });
}

/** Strings only, trimmed; empty is always an error here (optional fields are handled by the caller). */
function str(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string', typeof value);
  const s = value.trim();
  if (s === '') fail(field, 'must not be empty', value);
  return s;
}

const HF_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Hugging Face repo id `org/name`, using the Hub's own rules (`--` and `..` are forbidden there). */
export function validateRepo(value: unknown, field = 'repo'): string {
  const s = str(value, field);
  const parts = s.split('/');
  const rule = `must look like "org/name" (letters, digits, '.', '_', '-'; at most 96 characters each)`;
  if (parts.length !== 2) fail(field, rule, value);
  for (const p of parts) {
    if (p.length > 96 || !HF_PART.test(p) || p.includes('..') || p.includes('--')) fail(field, rule, value);
  }
  return s;
}

// Docker's reference grammar (distribution/reference), minus bracketed IPv6 registries.
const DOMAIN_PART = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]{1,5})?`;
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH_PART_RE = new RegExp(`^${PATH_PART}$`);
const IMAGE_RE = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH_PART}(?:/${PATH_PART})*)(?::([\\w][\\w.-]{0,127}))?` +
    `(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/** Docker image reference: `[registry[:port]/]path[:tag][@digest]`, e.g. `nvcr.io/nim/x:1.0`. */
export function validateImage(value: unknown, field = 'image'): string {
  const s = str(value, field);
  const m = IMAGE_RE.exec(s);
  const rule = 'must be a docker image reference like "registry.example.com:5000/team/image:tag"';
  if (!m || s.length > 512) fail(field, rule, value);
  // Without a '.', ':' or "localhost", docker treats the first segment as part of the Docker Hub
  // path, not as a registry, so it must then follow the (lowercase) path grammar.
  const domain = m[1];
  if (domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost' && !PATH_PART_RE.test(domain)) {
    fail(field, rule, value);
  }
  return s;
}

/** Docker container name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function validateContainerName(value: unknown, field = 'container'): string {
  const s = str(value, field);
  if (s.length > 128 || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s)) {
    fail(field, `must start with a letter or digit and contain only letters, digits, '_', '.', '-'`, value);
  }
  return s;
}

const SEGMENT = /^[A-Za-z0-9._@+-]+$/;

function checkSegments(segments: string[], field: string, value: unknown): void {
  for (const seg of segments) {
    if (seg === '') fail(field, "must not contain '//'", value);
    if (seg === '..' || seg === '.') fail(field, `must not contain a '${seg}' segment`, value);
    if (!SEGMENT.test(seg)) fail(field, `may only contain letters, digits and . _ / @ + -`, value);
  }
}

/**
 * Absolute (`/data/models`) or home-relative (`~`, `~/models`) path over a whitelist of characters.
 * Trailing slashes are dropped. Send it with `pathArg()` so `~` becomes `"$HOME"`.
 */
export function validatePath(value: unknown, field = 'path'): string {
  const s = str(value, field);
  if (s.length > 4096) fail(field, 'is too long', value);
  if (s === '/' || s === '~') return s;
  let rest: string;
  let prefix: string;
  if (s.startsWith('/')) [prefix, rest] = ['/', s.slice(1)];
  else if (s.startsWith('~/')) [prefix, rest] = ['~/', s.slice(2)];
  else fail(field, "must be absolute ('/…') or under the home directory ('~/…')", value);
  if (rest.endsWith('/')) rest = rest.replace(/\/+$/, '');
  if (rest === '') return prefix === '/' ? '/' : '~';
  checkSegments(rest.split('/'), field, value);
  return prefix + rest;
}

/** A path relative to the home directory (optionally written `~/…`); used by `homePath()`. */
export function validateHomeRelPath(value: unknown, field = 'path'): string {
  const s = str(value, field);
  const rel = s.startsWith('~/') ? s.slice(2) : s;
  if (rel.startsWith('/') || rel.startsWith('~') || rel === '') {
    fail(field, 'must be a path relative to the home directory', value);
  }
  if (rel.length > 4096) fail(field, 'is too long', value);
  checkSegments(rel.replace(/\/+$/, '').split('/'), field, value);
  return rel.replace(/\/+$/, '');
}

/** One directory name directly under $HOME (no slashes, not `.`/`..`, no leading '-'). */
export function validateHomeDirname(value: unknown, field = 'name'): string {
  const s = str(value, field);
  if (s === '.' || s === '..' || s.length > 255 || !/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(s)) {
    fail(field, `must be a single name of letters, digits, '.', '_', '-' (not starting with '-')`, value);
  }
  return s;
}

/** TCP port 1–65535; numeric strings are accepted because env vars and query strings are strings. */
export function validatePort(value: unknown, field = 'port'): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d{1,5}\s*$/.test(value)) n = Number(value);
  else fail(field, 'must be a whole number between 1 and 65535', value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    fail(field, 'must be a whole number between 1 and 65535', value);
  return n;
}

/** MAC address in any common spelling; returned as `aa:bb:cc:dd:ee:ff`. */
export function validateMac(value: unknown, field = 'mac'): string {
  const s = str(value, field).toLowerCase();
  const H = '[0-9a-f]{2}';
  const ok =
    new RegExp(`^${H}(?::${H}){5}$`).test(s) ||
    new RegExp(`^${H}(?:-${H}){5}$`).test(s) ||
    /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(s) ||
    /^[0-9a-f]{12}$/.test(s);
  if (!ok) fail(field, 'must be a MAC address like "aa:bb:cc:dd:ee:ff"', value);
  const hex = s.replace(/[:.-]/g, '');
  return hex.match(/../g)!.join(':');
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

/** DNS name, dotted IPv4, or IPv6 without brackets. Names are lowercased (DNS is case-insensitive). */
export function validateHostName(value: unknown, field = 'host'): string {
  const s = str(value, field);
  if (isIPv4(s)) return s;
  if (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':')) {
    if (isIPv6(s)) return s.toLowerCase();
    fail(field, 'is not a valid IPv6 address', value);
  }
  const name = s.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  // All-numeric dotted names are malformed IPv4 addresses, not host names.
  const looksNumeric = labels.every((l) => /^\d+$/.test(l));
  if (name.length > 253 || looksNumeric || !labels.every((l) => DNS_LABEL.test(l))) {
    fail(field, 'must be a host name (like spark1.local) or an IP address', value);
  }
  return name;
}

/** POSIX-portable user name (letters, digits, '.', '_', '-'; not starting with '-'), ≤ 32 chars. */
export function validateUser(value: unknown, field = 'user'): string {
  const s = str(value, field);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(s)) {
    fail(field, `must be a user name (letters, digits, '.', '_', '-', starting with a letter or '_')`, value);
  }
  return s;
}

/** Node names appear in URL paths (`/api/spark/{name}/…`), so they stay lowercase and short. */
export function validateNodeName(value: unknown, field = 'node'): string {
  const s = str(value, field);
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(s)) {
    fail(field, `must be 1-32 lowercase letters, digits, '_' or '-', starting with a letter or digit`, value);
  }
  return s;
}

/**
 * A git branch name (a subset of `git check-ref-format --branch`): letters, digits, `.`, `_`, `/`,
 * `-`; not starting with `-` or `.`, no `..`, `//`, `@{`, no trailing `/`, `.` or `.lock`.
 */
export function validateGitBranch(value: unknown, field = 'branch'): string {
  const s = str(value, field);
  const bad =
    s.length > 200 ||
    !/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(s) ||
    s.includes('..') ||
    s.includes('//') ||
    s.includes('/.') ||
    s.endsWith('/') ||
    s.endsWith('.') ||
    s.endsWith('.lock');
  if (bad) fail(field, `must be a git branch name like "main" or "release/1.2"`, value);
  return s;
}
