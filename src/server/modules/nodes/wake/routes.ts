// POST /api/spark/{name}/wake. A control route: the request guard's same-origin check applies.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WakeService } from './service.js';

export async function wakeRoutes(fastify: FastifyInstance, d: { wake: WakeService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/spark/:name/wake',
    {
      schema: {
        summary:
          'Wake a node with Wake-on-LAN: the magic packet from a reachable peer Spark over SSH, then a UDP broadcast from the control plane',
        tags: ['hardware'],
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
      },
    },
    async (req) => d.wake.wake(req.params.name),
  );
}
