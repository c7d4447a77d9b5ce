// NIM installer endpoints (SPEC §7): the curated catalog and `POST /api/nim/install` → 202 with
// the job id; progress, phases and the live log are the job's (`/api/jobs/{id}`, `/stream`).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JOB_ID_PATTERN } from '../../platform/jobs/runner.js';
import type { NimInstalls } from './installs.js';
import type { NimService } from './service.js';

const tags = ['nim'];

// Shapes only: the service's validators give each field's rule in its 400 message.
const InstallBody = Type.Object(
  {
    image: Type.String({
      maxLength: 512,
      description: 'e.g. nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
    }),
    container: Type.String({ maxLength: 128 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    volume: Type.String({
      maxLength: 4096,
      description: 'Docker volume name or host path (~/.cache/nim) for /opt/nim/.cache',
    }),
    env: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }))),
    node: Type.String({ maxLength: 64 }),
    register_service: Type.Optional(Type.Boolean()),
    kind: Type.Optional(
      Type.Union([Type.Literal('asr'), Type.Literal('tts'), Type.Literal('nim'), Type.Literal('custom')]),
    ),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN }) });

export async function nimRoutes(fastify: FastifyInstance, d: { nim: NimService; installs: NimInstalls }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/nim/catalog',
    {
      schema: {
        summary: 'Curated NVIDIA NIMs the installer offers (image, port, env, DGX Spark support)',
        tags,
      },
    },
    async () => d.nim.catalog(),
  );
  app.post(
    '/api/nim/install',
    {
      schema: {
        summary:
          'Install a NIM on a node as a job (login with the NGC key on stdin, pull, cache owned by uid 1000, run, wait for ready, register); 202 {job_id}',
        tags,
        body: InstallBody,
      },
    },
    async (req, reply) => reply.code(202).send(await d.nim.install(req.body)),
  );

  app.get(
    '/api/nim/installs',
    {
      schema: {
        summary:
          'Installs that were interrupted (or failed and left their container) and are not a service: docker state now, what to do',
        tags,
      },
    },
    async () => d.installs.list(),
  );
  app.post(
    '/api/nim/installs/:id/register',
    {
      schema: {
        summary: "Register an interrupted install's container as a service (a card)",
        tags,
        params: IdParams,
      },
    },
    async (req) => d.installs.register(req.params.id),
  );
  app.post(
    '/api/nim/installs/:id/remove',
    {
      schema: {
        summary: 'Remove the container an interrupted or failed install left (docker rm -f)',
        tags,
        params: IdParams,
      },
    },
    async (req) => d.installs.remove(req.params.id),
  );
}
