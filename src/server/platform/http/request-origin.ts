// Pure decisions of the request guard (SPEC §14): which paths are exempt, whether a Host header
// names this server, and whether a request's Origin (or Referer) is the served host. No Fastify
// here, so every rule is tested on its own (request-origin.test.ts).
import { isIPv4, isIPv6 } from 'node:net';

/** The OpenAI-compatible gateway: /v1 and vLLM's own root paths for its utility APIs (gateway/routes.ts). */
export const OPENAI_PREFIXES = ['/v1/', '/tokenize', '/detokenize', '/rerank', '/v2/rerank', '/score'];

/** Called cross-origin by other apps on purpose; governed by the gateway's API keys instead. */
export const EXEMPT_PREFIXES = [
  ...OPENAI_PREFIXES,
  '/scrub',
  '/rehydrate',
  '/api/search',
  '/api/audio/',
  '/api/health-event',
];

/**
 * Under an exempt prefix but control, not data plane: the speaker library stores voices (biometric
 * data) and is managed from the dashboard, so it keeps the same-origin guard and the admin login.
 */
export const ADMIN_UNDER_EXEMPT_PREFIXES = ['/api/audio/speakers'];

/** The path of an origin-form request target (`/a/b?q` → `/a/b`); null for any other form. */
export function pathOf(rawUrl: string): string | null {
  if (!rawUrl.startsWith('/')) return null;
  const end = rawUrl.search(/[?#]/);
  return end === -1 ? rawUrl : rawUrl.slice(0, end);
}

/** Exact prefix match on whole segments: `/v1/x` and `/scrub/x` are exempt, `/v1x` and `/scrubx` not. */
export function isExemptPath(path: string): boolean {
  return underAny(EXEMPT_PREFIXES, path) && !underAny(ADMIN_UNDER_EXEMPT_PREFIXES, path);
}

/** Whether a request target belongs to the OpenAI-compatible gateway (its errors use OpenAI's envelope). */
export function isOpenAiPath(rawUrl: string): boolean {
  const path = pathOf(rawUrl);
  return path !== null && underAny(OPENAI_PREFIXES, path);
}

function underAny(prefixes: readonly string[], path: string): boolean {
  return prefixes.some((prefix) => {
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    return path === base || path.startsWith(`${base}/`);
  });
}

export interface HostPort {
  hostname: string;
  port: number | null;
}

const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/** `name[:port]` or `[v6][:port]` → lower-case name without a trailing dot; null when malformed. */
export function parseHostHeader(value: string): HostPort | null {
  const m = HOST_HEADER.exec(value.trim());
  if (!m) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  let hostname = m[1]!.toLowerCase();
  if (hostname.endsWith('.') && !hostname.startsWith('[')) hostname = hostname.slice(0, -1);
  if (hostname === '' || hostname.includes('..')) return null;
  if (hostname.startsWith('[') && !isIPv6(hostname.slice(1, -1))) return null;
  return { hostname, port };
}

const isIpLiteral = (hostname: string) =>
  isIPv4(hostname) || (hostname.startsWith('[') && isIPv6(hostname.slice(1, -1)));

/**
 * The names this server answers to. A DNS-rebinding page reaches the server under the attacker's
 * own domain, so the Host header is the one thing such a request cannot fake; an IP literal or
 * `localhost` cannot be an attacker's page.
 */
export class HostAllowList {
  private readonly exact = new Set<string>(['localhost']);
  private readonly suffixes: string[] = [];

  constructor(o: {
    names: readonly string[];
    trustedOrigins: readonly string[];
    ownNames: readonly string[];
  }) {
    for (const raw of [...o.names, ...o.ownNames]) {
      const name = raw.toLowerCase().replace(/\.$/, '');
      if (name.startsWith('*.')) this.suffixes.push(name.slice(1));
      else if (name) this.exact.add(name);
    }
    for (const origin of o.trustedOrigins) this.exact.add(new URL(origin).hostname.toLowerCase());
  }

  /** A request without Host (HTTP/1.0 scripts) cannot come from a browser, so it is not refused. */
  allows(host: string | undefined): boolean {
    if (host === undefined) return true;
    const parsed = parseHostHeader(host);
    if (!parsed) return false;
    const { hostname } = parsed;
    return (
      isIpLiteral(hostname) ||
      this.exact.has(hostname) ||
      this.suffixes.some((s) => hostname.endsWith(s) && hostname.length > s.length)
    );
  }
}

export type OriginVerdict = { ok: true } | { ok: false; origin: string };

function sameHost(url: URL, host: HostPort): boolean {
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (hostname !== host.hostname) return false;
  const explicit = url.port === '' ? null : Number(url.port);
  // A Host without a port is the scheme's default port, whichever scheme the browser used
  // (a TLS-terminating proxy forwards `Host: name` for https://name).
  if (host.port === null) return explicit === null;
  return (explicit ?? (url.protocol === 'https:' ? 443 : 80)) === host.port;
}

/**
 * A state-changing request is same-origin when its Origin — or, without one, its Referer — is
 * the host it was sent to, or a configured trusted origin. Neither header: a script, allowed.
 * `Origin: null` (sandboxed frames, file: pages, some redirects) is foreign.
 */
export function checkOrigin(
  headers: { origin?: string; referer?: string; host?: string },
  trustedOrigins: ReadonlySet<string>,
): OriginVerdict {
  const source = headers.origin ?? headers.referer;
  if (source === undefined) return { ok: true };
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return { ok: false, origin: source };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, origin: source };
  if (trustedOrigins.has(url.origin)) return { ok: true };
  const host = headers.host === undefined ? null : parseHostHeader(headers.host);
  return host && sameHost(url, host) ? { ok: true } : { ok: false, origin: url.origin };
}

/** Only JSON (or no body) reaches control routes: a cross-site form can send just the others. */
/**
 * Control routes that take an upload (a voice sample for the speaker library): multipart passes
 * the JSON-only rule there. The same-origin check before it still refuses a cross-site form,
 * since browsers send Origin with every cross-site POST.
 */
export function acceptsControlUpload(path: string, contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return type === 'multipart/form-data' && underAny(ADMIN_UNDER_EXEMPT_PREFIXES, path);
}

export function isJsonOrNone(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
