// /api/services (SPEC §7) and /api/matrix-bridge: one-line hand-offs to the registry, the snapshot,
// the actions, the log streams and the bridge. Names are checked (400) before anything reaches SSH.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ServiceActions } from './actions.js';
import type { LogStreams } from './log-stream.js';
import type { MatrixBridge } from './matrix-bridge.js';
import type { ServiceRegistry } from './registry.js';
import type { ServicesSnapshot } from './snapshot.js';

export interface ServicesRoutesDeps {
  registry: ServiceRegistry;
  snapshot: ServicesSnapshot;
  actions: ServiceActions;
  logs: LogStreams;
  bridge: MatrixBridge;
}

const NameParam = Type.String({ minLength: 1, maxLength: 200 });
const Accepted = Type.Object({ job_id: Type.String() });

export async function servicesRoutes(fastify: FastifyInstance, d: ServicesRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/services',
    {
      schema: {
        summary: 'Always-on services: docker state, HTTP health, models (from the last poll)',
        tags: ['services'],
      },
    },
    async () => d.snapshot.current(),
  );

  app.post(
    '/api/services/:name/:action',
    {
      schema: {
        summary: 'Start, stop or restart a service container (a job with a live log)',
        tags: ['services'],
        params: Type.Object({
          name: NameParam,
          action: Type.Union([Type.Literal('start'), Type.Literal('stop'), Type.Literal('restart')]),
        }),
        response: { 202: Accepted },
      },
    },
    async (req, reply) => reply.code(202).send(d.actions.run(req.params.name, req.params.action)),
  );

  app.delete(
    '/api/services/:name',
    {
      schema: {
        summary: 'Remove an installed (custom) service; remove_container=1 also runs docker rm -f',
        tags: ['services'],
        params: Type.Object({ name: NameParam }),
        querystring: Type.Object({
          remove_container: Type.Optional(
            Type.Union([Type.Literal('0'), Type.Literal('1'), Type.Literal('true'), Type.Literal('false')]),
          ),
        }),
      },
    },
    async (req) => {
      const rm = req.query.remove_container === '1' || req.query.remove_container === 'true';
      return d.actions.remove(req.params.name, rm);
    },
  );

  app.get(
    '/api/services/:name/logs',
    {
      schema: {
        summary: "A service container's last lines (docker logs --tail, ANSI stripped) as JSON",
        tags: ['services'],
        params: Type.Object({ name: NameParam }),
        querystring: Type.Object({
          tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
        }),
      },
    },
    async (req) => d.logs.recent(d.registry.require(req.params.name), req.query.tail ?? 200),
  );

  app.get(
    '/api/services/:name/logs/stream',
    {
      schema: {
        summary: 'Live container log (SSE, docker logs -f --tail 200, ANSI stripped)',
        tags: ['services'],
        params: Type.Object({ name: NameParam }),
      },
    },
    async (req, reply) => {
      d.logs.serve(d.registry.require(req.params.name), req, reply);
      return reply;
    },
  );

  app.post(
    '/api/matrix-bridge/update',
    {
      schema: {
        summary:
          'Update the matrix-bridge bot: git fetch, reset to origin/<branch>, docker compose up -d --build',
        tags: ['services'],
        response: { 202: Accepted },
      },
    },
    async (_req, reply) => reply.code(202).send(d.bridge.update()),
  );

  app.get(
    '/api/matrix-bridge/logs',
    {
      schema: {
        summary: "The matrix-bridge container's recent log lines",
        tags: ['services'],
        querystring: Type.Object({
          tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
        }),
      },
    },
    async (req) => d.bridge.logs(req.query.tail ?? 200),
  );
}
