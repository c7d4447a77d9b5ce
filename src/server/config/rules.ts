// Field rules the schema's patterns cannot explain well: each value that reaches a remote shell
// (hosts, users, container names, the launcher directory) goes through the same validator the API
// boundary uses, so config and requests accept exactly the same values. A rule returns a clear
// message, or null when the value is fine.
import { isIPv4 } from 'node:net';
import {
  validateContainerName,
  validateGitBranch,
  validateHostName,
  validateMac,
  validatePath,
  validateUser,
} from '../platform/remote/validators.js';

export type Rule = (value: unknown) => string | null;

/** Runs a validator from platform/remote/validators.ts and keeps its message without the field name. */
const FIELD = '<value>';
const fromValidator =
  (validate: (v: unknown, field: string) => unknown): Rule =>
  (value) => {
    try {
      validate(value, FIELD);
      return null;
    } catch (e) {
      const message = (e as Error).message;
      return message.startsWith(`${FIELD} `) ? message.slice(FIELD.length + 1) : message;
    }
  };

const blankAllowed =
  (rule: Rule): Rule =>
  (value) =>
    typeof value === 'string' && value.trim() === '' ? null : rule(value);

export const hostRule = fromValidator(validateHostName);
export const userRule = fromValidator(validateUser);
export const macRule = fromValidator(validateMac);
/** An empty container name means "use the default" (SPEC §1). */
export const containerRule = blankAllowed(fromValidator(validateContainerName));
export const branchRule = fromValidator(validateGitBranch);

/** A directory inside a container: absolute (no `~`, which would mean the node's home), validated like any path. */
export const containerDirRule: Rule = (value) => {
  if (typeof value === 'string' && !value.trim().startsWith('/'))
    return `must be an absolute path inside the container like "/opt/parakeet/app" (got ${JSON.stringify(value)})`;
  return fromValidator(validatePath)(value);
};

export const portRule: Rule = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535
    ? null
    : `must be a whole number between 1 and 65535 (got ${JSON.stringify(value)})`;

/**
 * The launcher runs as `cd <dir> && ./launch-cluster.sh …` over SSH. `~/…` is expanded to the SSH
 * user's home (`"$HOME"/…`); a relative path has no defined meaning there, so it is refused.
 */
export const launcherDirRule: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  const bad = fromValidator(validatePath)(value);
  if (bad === null) return null;
  const trimmed = value.trim();
  if (trimmed !== '' && !trimmed.startsWith('/') && !trimmed.startsWith('~/') && trimmed !== '~') {
    const name = trimmed.replace(/^\.\//, '');
    return `must be an absolute path like "/home/alice/${name}" or a path in the SSH user's home like "~/${name}" (got ${JSON.stringify(value)})`;
  }
  return bad;
};

/**
 * Webhooks and service links must be http(s): the server itself fetches them (a `file:` or other
 * scheme must never be followed). Only the scheme is quoted back, because webhook URLs often carry
 * a token in their path.
 */
export const httpUrlRule: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  const want = 'must be an http:// or https:// URL';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `${want} (this one does not parse as a URL)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${want}, not ${url.protocol}`;
  if (url.hostname === '') return `${want} with a host name`;
  return null;
};

/** Chunks overlap on both sides: an overlap of half a chunk or more would leave no chunk its own middle. */
export const audioRule: Rule = (value) => {
  if (typeof value !== 'object' || value === null) return null;
  const { chunk_s: chunk = 300, chunk_overlap_s: overlap = 5 } = value as Record<string, unknown>;
  if (typeof chunk !== 'number' || typeof overlap !== 'number') return null;
  return overlap * 2 < chunk
    ? null
    : `chunk_overlap_s (${overlap}) must be less than half of chunk_s (${chunk})`;
};

/** An IPv4 address the control plane may send a UDP broadcast to (blank: the default). */
export const broadcastAddressRule: Rule = (value) =>
  typeof value !== 'string' || value.trim() === '' || isIPv4(value.trim())
    ? null
    : `must be an IPv4 address such as 255.255.255.255 or 192.0.2.255 (got ${JSON.stringify(value).slice(0, 60)})`;

/** A bearer secret (metrics.token): says what is wrong without ever repeating the value. */
export const bearerSecretRule: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (/\s/.test(value)) return 'must not contain spaces or line breaks';
  if (value.length < 16)
    return `must be at least 16 characters long (this one has ${value.length}); e.g. openssl rand -hex 24`;
  if (value.length > 512) return 'must be at most 512 characters long';
  return null;
};

/**
 * A secret sent as an HTTP header value (qdrant_api_key): fetch refuses control characters and
 * anything beyond Latin-1 — with an error that quotes the value — and trims the ends, so a key
 * with those would fail (or leak) at the first search instead of at start-up. Never repeats it.
 */
export const headerSecretRule: Rule = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return 'must not be empty (leave it out when Qdrant has no API key)';
  if (/[\r\n]/.test(value)) return 'must be one line (no line breaks)';
  const control = [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  if (control) return 'must not contain control characters';
  if (/[^\x20-\x7e]/.test(value)) return 'must be printable ASCII (letters, digits, punctuation)';
  if (value.trim() !== value) return 'must not start or end with a space';
  if (value.length > 4096) return 'must be at most 4096 characters long';
  return null;
};

/** `*` matches any array index or map key. Paths are dotted, as problems name them. */
export const FIELD_RULES: [pattern: string, rule: Rule][] = [
  ['nodes.*.host', hostRule],
  ['nodes.*.qsfp_ip', hostRule],
  ['nodes.*.user', userRule],
  ['nodes.*.mac', macRule],
  ['nodes.*.ssh_port', portRule],
  ['vllm.port', portRule],
  ['vllm.container', containerRule],
  ['vllm.launcher_dir', launcherDirRule],
  ['services.*.port', portRule],
  ['services.*.container', containerRule],
  ['embeddings_url', httpUrlRule],
  ['qdrant_url', httpUrlRule],
  ['open_webui_url', httpUrlRule],
  ['webhooks.*', httpUrlRule],
  ['matrix_bridge_user', blankAllowed(userRule)],
  ['speech_models.app_dir', containerDirRule],
  ['matrix_bridge.container', containerRule],
  ['matrix_bridge.branch', branchRule],
  ['audio', audioRule],
  ['wake.broadcast_address', broadcastAddressRule],
  ['metrics.token', bearerSecretRule],
  ['qdrant_api_key', headerSecretRule],
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** Every (path, value) present in `root` that `pattern` names. */
export function valuesAt(root: unknown, pattern: string): [path: string, value: unknown][] {
  let level: [string, unknown][] = [['', root]];
  for (const seg of pattern.split('.')) {
    const next: [string, unknown][] = [];
    for (const [path, v] of level) {
      if (!isObj(v)) continue;
      const keys = seg === '*' ? Object.keys(v) : Object.hasOwn(v, seg) ? [seg] : [];
      for (const k of keys) next.push([path === '' ? k : `${path}.${k}`, v[k]]);
    }
    level = next;
  }
  return level.filter(([, v]) => v !== undefined);
}
