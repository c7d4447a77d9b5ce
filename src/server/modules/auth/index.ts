// The auth module in one call for buildApp: sessions, the admin check on every protected request
// (one onRequest hook, registered before any route), and /api/auth/*.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/types.js';
import { sendError } from '../../platform/http/error-handler.js';
import { isExemptPath, pathOf } from '../../platform/http/request-origin.js';
import type { Db } from '../../platform/store/db.js';
import { authRoutes } from './routes.js';
import { AdminAuth } from './service.js';
import { SessionStore } from './store.js';

export { AdminAuth } from './service.js';

/** Control routes and dashboard reads: /api (but /api/auth and the data plane) and /docs. */
export function isAdminPath(path: string): boolean {
  const api = path === '/api' || path.startsWith('/api/');
  const docs = path === '/docs' || path.startsWith('/docs/');
  if (!api && !docs) return false;
  return !(path === '/api/auth' || path.startsWith('/api/auth/') || isExemptPath(path));
}

/** Protected when either the raw path or the route it matched is (the router decodes `%61pi`). */
export function requiresAdmin(req: FastifyRequest): boolean {
  const path = pathOf(req.raw.url ?? '');
  const route = req.routeOptions.url;
  return (path !== null && isAdminPath(path)) || (route !== undefined && isAdminPath(route));
}

export async function authModule(app: FastifyInstance, o: { db: Db; config: AppConfig }): Promise<AdminAuth> {
  const auth = new AdminAuth({
    auth: o.config.auth,
    listenHost: o.config.host,
    sessions: new SessionStore(o.db, o.config.auth.admin_password_hash ?? ''),
  });
  if (auth.enabled) {
    app.addHook('onRequest', async (req, reply) => {
      if (!requiresAdmin(req) || auth.identify(req.headers) !== null) return;
      reply.header('www-authenticate', 'Bearer');
      return sendError(req, reply, {
        status: 401,
        code: 'UNAUTHORIZED',
        message:
          'Sign in to the dashboard, or send an admin token (Authorization: Bearer <token>, configured in auth.admin_tokens or ADMIN_TOKENS).',
      });
    });
  }
  await app.register(authRoutes, { auth });
  return auth;
}
