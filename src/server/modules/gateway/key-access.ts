// Who may use a data route that other apps call (SPEC §14: exempt from the same-origin guard and
// the admin login, because they are called cross-origin). When gateway API keys are configured
// such a route asks for one, as /v1 does — otherwise the keys would guard /v1 while the same
// services and data answered anyone on the network. A dashboard sign-in (or admin token) also
// passes, so the dashboard's own panels work. With the admin login off there is no sign-in to
// show, and the dashboard is open to the network by the owner's choice (every control route
// answers it): its own requests pass too, known by the Origin (POST) or Referer (GET) of this host
// that a browser sends for a page of ours — a cross-site page cannot make them name this host —
// so the Audio lab and the Data tab work without a key (they answered 401 before). Sec-Fetch-Site,
// when sent (browsers send it only to https and localhost), must say `same-origin`. A client that
// forges those headers could as well use the open dashboard. Without keys the route stays open
// (LAN compatibility, as the original was).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../platform/http/error-handler.js';
import { checkOrigin } from '../../platform/http/request-origin.js';
import type { AdminAuth } from '../auth/service.js';
import { ApiKeys } from './auth.js';

export function apiKeyAccessHook(o: {
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
  /** Who is asking for the key, in the 401's message ("Vector search", "The audio pipeline"). */
  what: string;
  /** Only requests this says yes to are checked (all when absent). */
  applies?: (req: FastifyRequest) => boolean;
}) {
  const keys = new ApiKeys(o.apiKeys);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!keys.required) return;
    if (o.applies && !o.applies(req)) return;
    if (keys.check(req.headers.authorization).ok) return;
    if (o.admin?.enabled ? o.admin.identify(req.headers) !== null : fromThisDashboard(req)) return;
    reply.header('www-authenticate', 'Bearer');
    return sendError(req, reply, {
      status: 401,
      code: 'UNAUTHORIZED',
      message: `${o.what} needs a gateway API key (Authorization: Bearer <key>, configured in api_keys), as /v1 does, or a dashboard sign-in.`,
    });
  };
}

const NO_TRUSTED = new Set<string>();

/** A browser request made by a page this server served (the dashboard), not a cross-site one. */
export function fromThisDashboard(req: Pick<FastifyRequest, 'headers'>): boolean {
  const h = req.headers;
  const site = h['sec-fetch-site'];
  if ((site !== undefined && site !== 'same-origin') || (h.origin ?? h.referer) === undefined) return false;
  return checkOrigin({ origin: h.origin, referer: h.referer, host: h.host }, NO_TRUSTED).ok;
}
