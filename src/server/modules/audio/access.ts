// Who may use the audio pipeline's data routes: a gateway API key when keys are configured, or a
// dashboard sign-in (gateway/key-access.ts). The speaker library is not under this rule: it is a
// control route (admin login + same-origin guard, see request-origin.ts).
import type { FastifyRequest } from 'fastify';
import { isExemptPath, pathOf } from '../../platform/http/request-origin.js';
import type { AdminAuth } from '../auth/service.js';
import { apiKeyAccessHook } from '../gateway/key-access.js';

export function audioAccessHook(o: {
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
}) {
  return apiKeyAccessHook({
    ...o,
    what: 'The audio pipeline',
    applies: (req: FastifyRequest) => {
      const path = pathOf(req.raw.url ?? '');
      return path !== null && isExemptPath(path);
    },
  });
}
