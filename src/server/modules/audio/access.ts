// Who may use the audio pipeline's data routes. They are exempt from the same-origin guard and the
// admin login because other apps call them (SPEC §14), so when gateway API keys are configured
// they ask for one, as /v1 does — otherwise the keys would protect /v1/audio/transcriptions while
// the same GPU answered /api/audio for anyone. A dashboard sign-in (or admin token) also passes, so
// the Audio lab works. The speaker library is not under this rule: it is a control route (admin
// login + same-origin guard, see request-origin.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../platform/http/error-handler.js';
import { isExemptPath, pathOf } from '../../platform/http/request-origin.js';
import type { AdminAuth } from '../auth/service.js';
import { ApiKeys } from '../gateway/auth.js';

export function audioAccessHook(o: {
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
}) {
  const keys = new ApiKeys(o.apiKeys);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!keys.required) return;
    const path = pathOf(req.raw.url ?? '');
    if (path === null || !isExemptPath(path)) return;
    if (keys.check(req.headers.authorization).ok) return;
    if (o.admin?.enabled && o.admin.identify(req.headers) !== null) return;
    reply.header('www-authenticate', 'Bearer');
    return sendError(req, reply, {
      status: 401,
      code: 'UNAUTHORIZED',
      message:
        'The audio pipeline needs a gateway API key (Authorization: Bearer <key>, configured in api_keys), as /v1 does, or a dashboard sign-in.',
    });
  };
}
