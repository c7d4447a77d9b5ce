// /api/auth/*: log in (rate limited per client address), log out, and what the dashboard needs
// to decide between the login page and the dashboard. These stay open when auth is on.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/http/errors.js';
import { clearedCookie, sessionCookie } from './cookie.js';
import type { AdminAuth } from './service.js';

export const LOGIN_ATTEMPTS_PER_MINUTE = 10;

const SessionSchema = Type.Object({
  auth_enabled: Type.Boolean(),
  authenticated: Type.Boolean(),
  method: Type.Union([Type.Literal('session'), Type.Literal('token'), Type.Null()]),
  warning: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Secure when the browser is on https: the login POST's Origin says so (it passed the guard, so it
 * is the served host or a trusted origin), or TLS reached us, or a proxy on this machine said so.
 */
function overHttps(req: FastifyRequest): boolean {
  if (req.protocol === 'https' || req.headers.origin?.startsWith('https://')) return true;
  const peer = req.socket.remoteAddress ?? '';
  const loopback = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
  return loopback && req.headers['x-forwarded-proto'] === 'https';
}

export async function authRoutes(fastify: FastifyInstance, d: { auth: AdminAuth }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(rateLimit, {
    global: false,
    // The one 429 of the error vocabulary (upload slots use it too).
    errorResponseBuilder: (_req, ctx) =>
      new AppError(
        'TOO_MANY_REQUESTS',
        `Too many login attempts from your address; try again in ${ctx.after}.`,
      ),
  });
  const tags = ['auth'];

  app.get(
    '/api/auth/session',
    {
      schema: {
        summary: 'Whether admin login is on and this client is signed in',
        tags,
        response: { 200: SessionSchema },
      },
    },
    async (req) => d.auth.session(req.headers),
  );

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        summary: 'Sign in with the admin password; sets an HttpOnly session cookie',
        tags,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }),
        response: { 200: SessionSchema },
      },
    },
    async (req, reply) => {
      if (!d.auth.enabled)
        throw new AppError(
          'CONFLICT',
          'Admin login is off: there is nothing to sign in to (see README, "Security").',
        );
      if (!d.auth.passwordConfigured)
        throw new AppError(
          'CONFLICT',
          'No admin password is configured (only admin tokens). Set auth.admin_password_hash or ADMIN_PASSWORD_HASH to sign in here.',
        );
      const id = await d.auth.login(req.body.password);
      if (id === null) {
        req.log.warn({ ip: req.ip }, 'admin login refused: wrong password');
        throw new AppError('UNAUTHORIZED', 'Wrong password.');
      }
      req.log.info({ ip: req.ip }, 'admin signed in');
      reply.header(
        'set-cookie',
        sessionCookie(id, { secure: overHttps(req), maxAgeS: d.auth.sessionMaxAgeS }),
      );
      reply.header('cache-control', 'no-store');
      return { auth_enabled: true, authenticated: true, method: 'session' as const, warning: null };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { summary: 'Sign out: ends this browser session', tags, response: { 200: SessionSchema } } },
    async (req, reply) => {
      d.auth.logout(req.headers.cookie);
      reply.header('set-cookie', clearedCookie(overHttps(req)));
      return { ...d.auth.session({}), authenticated: false, method: null };
    },
  );
}
