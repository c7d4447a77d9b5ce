// GET /api/status and GET /api/endpoints (SPEC §8), answered from the status snapshot.
import type { FastifyInstance } from 'fastify';
import type { StatusService } from './status-service.js';

export async function healthRoutes(app: FastifyInstance, d: { status: StatusService }) {
  app.get(
    '/api/status',
    { schema: { summary: 'vLLM (loaded model or idle), Parakeet and Magpie status', tags: ['status'] } },
    async () => d.status.current(),
  );
  app.get(
    '/api/endpoints',
    {
      schema: { summary: 'Stable direct URLs of vLLM, Parakeet and Magpie for other apps', tags: ['status'] },
    },
    async () => d.status.endpoints(),
  );
}
