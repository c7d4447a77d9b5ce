// Launcher update endpoints (SPEC §13, issue 12 items 5–6). The job's log, phases and cancel are the
// job runner's (`/api/jobs/{job_id}`, `/stream`, `DELETE`); the record is in GET /api/updates.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { UpdateService } from './service.js';

const tags = ['updates'];
const Started = Type.Object({ id: Type.String(), job_id: Type.String() });
const ApplyBody = Type.Object(
  {
    smoke_model: Type.Optional(
      Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }), Type.Null()], {
        description:
          'Catalog key of a small model launched with the new image before the update counts as done',
      }),
    ),
  },
  { additionalProperties: false },
);

export async function updateRoutes(fastify: FastifyInstance, d: { updates: UpdateService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/updates',
    {
      schema: {
        summary:
          'spark-vllm-docker (the vLLM orchestration project) on the head node: commits behind/ahead of origin, dirty tree, pending commits, the last update or rollback — from a snapshot',
        tags,
      },
    },
    async () => d.updates.current(),
  );
  app.post(
    '/api/updates/check',
    {
      schema: {
        summary: 'Check the launcher now (git fetch, counts, pending commits); 200 with the new snapshot',
        tags,
      },
    },
    async () => d.updates.check(),
  );
  app.post(
    '/api/updates/apply',
    {
      schema: {
        summary:
          'Update the launcher as a job: keep the image for a rollback, git pull --ff-only, ./build-and-copy.sh, optional smoke test; 202 {id, job_id}; 409 for a dirty tree or while a swap or update runs',
        tags,
        body: ApplyBody,
        response: { 202: Started },
      },
      // `curl -X POST …/apply` with no body means "no smoke test", not a 400.
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req, reply) => reply.code(202).send(await d.updates.apply(req.body)),
  );
  app.post(
    '/api/updates/rollback',
    {
      schema: {
        summary:
          'Roll the launcher back to the commit before the last update and restore its image on every vLLM node, as a job; 202 {id, job_id}',
        tags,
        response: { 202: Started },
      },
    },
    async (_req, reply) => reply.code(202).send(await d.updates.rollback()),
  );
}
