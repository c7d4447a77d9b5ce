// The request guard (SPEC §14), one onRequest hook for the whole app, running before routing
// reaches any handler: a Host allow-list against DNS rebinding on every request; on
// state-changing control routes, a same-origin check and JSON-only bodies, so neither a foreign
// page nor a cross-site form can reach a handler. Data-plane prefixes other apps call
// cross-origin (request-origin.ts) are exempt from the origin and body rules, not from Host.
import { hostname as osHostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import { sendError } from './error-handler.js';
import {
  acceptsControlUpload,
  checkOrigin,
  HostAllowList,
  isExemptPath,
  isJsonOrNone,
  pathOf,
} from './request-origin.js';

export interface RequestGuardOptions extends Pick<AppConfig, 'allowed_hosts' | 'trusted_origins'> {
  /** The listen address from the config; a name there is one the owner chose. */
  host?: string;
  /** This machine's name (tests pass their own); `<name>.local` is allowed too (mDNS). */
  machineName?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * Exempt only when both the raw path and the route it matched are exempt: the router decodes
 * `%61pi` to `api` and accepts absolute-form targets, so the raw text alone could be made to
 * look exempt while reaching a control route.
 */
export function isExemptRequest(req: FastifyRequest): boolean {
  const path = pathOf(req.raw.url ?? '');
  if (path === null || !isExemptPath(path)) return false;
  const route = req.routeOptions.url;
  return route === undefined || isExemptPath(route);
}

/** Multipart to an upload-taking control route, judged on both the raw path and the matched route. */
function isControlUpload(req: FastifyRequest, type: string | undefined): boolean {
  const path = pathOf(req.raw.url ?? '');
  const route = req.routeOptions.url;
  return (
    req.method === 'POST' &&
    path !== null &&
    acceptsControlUpload(path, type) &&
    (route === undefined || acceptsControlUpload(route, type))
  );
}

/** The Host allow-list the guard applies (the gateway's fast path applies the same one). */
export function hostAllowList(o: RequestGuardOptions): HostAllowList {
  const machine = (o.machineName ?? osHostname()).toLowerCase();
  const ownNames = [machine, machine.endsWith('.local') ? '' : `${machine}.local`];
  if (o.host && !['0.0.0.0', '::', ''].includes(o.host)) ownNames.push(o.host);
  return new HostAllowList({ names: o.allowed_hosts, trustedOrigins: o.trusted_origins, ownNames });
}

export function installRequestGuard(app: FastifyInstance, o: RequestGuardOptions): void {
  const hosts = hostAllowList(o);
  const trusted = new Set(o.trusted_origins);

  app.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host;
    if (!hosts.allows(host)) {
      const name = clip(host ?? '');
      return sendError(req, reply, {
        status: 403,
        code: 'HOST_NOT_ALLOWED',
        message:
          `This server does not answer to the name "${name}" (a guard against DNS rebinding). ` +
          `If you reach Spark Control by this name, add it to allowed_hosts in the config file ` +
          `or to the ALLOWED_HOSTS environment variable (comma separated; *.example.com allowed), then restart.`,
      });
    }
    if (SAFE_METHODS.has(req.method) || isExemptRequest(req)) return;
    const verdict = checkOrigin({ origin: req.headers.origin, referer: req.headers.referer, host }, trusted);
    if (!verdict.ok) {
      return sendError(req, reply, {
        status: 403,
        code: 'FORBIDDEN',
        message:
          `Cross-origin request refused: ${clip(verdict.origin)} may not change anything here; control ` +
          `requests must come from a page Spark Control served itself. If you open the dashboard through ` +
          `a reverse proxy or another address, add that origin (e.g. https://spark.example.com) to ` +
          `trusted_origins in the config file or to TRUSTED_ORIGINS, then restart.`,
      });
    }
    const type = req.headers['content-type'];
    if (!isJsonOrNone(type) && !isControlUpload(req, type)) {
      return sendError(req, reply, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message:
          'Control endpoints accept only JSON bodies (Content-Type: application/json) or no body; ' +
          'form and text bodies are refused so that a cross-site form can never reach them.',
      });
    }
  });
}
