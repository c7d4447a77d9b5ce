// Deep health endpoints (SPEC §8): the last result per service with the auto-restart counters,
// a check on demand, and the speech loopback.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DeepHealthService } from './service.js';

const tags = ['deep-health'];

export async function deepHealthRoutes(fastify: FastifyInstance, d: { deep: DeepHealthService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/deep-health',
    { schema: { summary: 'Last deep check per service, auto-restart counters, last loopback', tags } },
    async () => d.deep.snapshot(),
  );
  // Registered before `/:service/run` would not matter to the router (static beats parametric),
  // but it reads better: `loopback` is not a service.
  app.post(
    '/api/deep-health/loopback/run',
    { schema: { summary: 'Speech loopback: Magpie speaks a phrase, Parakeet transcribes it', tags } },
    async () => d.deep.loopback.run(),
  );
  app.post(
    '/api/deep-health/:service/run',
    {
      schema: {
        summary: 'Run the deep check of one service now (may restart it when wedged)',
        tags,
        params: Type.Object({ service: Type.String({ maxLength: 64 }) }),
      },
    },
    async (req) => d.deep.run(req.params.service, 'manual'),
  );
}
