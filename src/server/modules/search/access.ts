// Who may search. /api/search is exempt from the same-origin guard and the admin login because
// other apps call it cross-origin (SPEC §14). When gateway API keys are configured it asks for
// one, as /v1 and the audio pipeline do: the collections may hold the owner's documents, and a
// key that guards /v1/embeddings should not leave a search over the same data open to anyone on
// the network. A dashboard sign-in (or admin token) also passes, so the Data tab works. Without
// keys it stays open, as the original was (LAN compatibility).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../platform/http/error-handler.js';
import type { AdminAuth } from '../auth/service.js';
import { ApiKeys } from '../gateway/auth.js';

export function searchAccessHook(o: {
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
}) {
  const keys = new ApiKeys(o.apiKeys);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!keys.required) return;
    if (keys.check(req.headers.authorization).ok) return;
    if (o.admin?.enabled && o.admin.identify(req.headers) !== null) return;
    reply.header('www-authenticate', 'Bearer');
    return sendError(req, reply, {
      status: 401,
      code: 'UNAUTHORIZED',
      message:
        'Vector search needs a gateway API key (Authorization: Bearer <key>, configured in api_keys), as /v1 does, or a dashboard sign-in.',
    });
  };
}
