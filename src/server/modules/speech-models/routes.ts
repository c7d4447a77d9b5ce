// /api/speech-models: status (from the snapshot; ?refresh=1 looks again first), and reapply,
// restore and restart as jobs. A POST answers 202 with the job at once (the dashboard follows its
// steps on /api/jobs/{id}/stream or GET /api/speech-models/jobs/{id}); ?wait=1 answers when it
// ends, with the step-by-step result (for scripts and curl).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JOB_ID_PATTERN } from '../../platform/jobs/runner.js';
import type { SpeechModelsService } from './service.js';
import type { PatchOp } from './steps.js';

const Flag = Type.Optional(
  Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')]),
);
const on = (v: string | undefined): boolean => v === '1' || v === 'true';

const SUMMARY: Record<PatchOp, string> = {
  reapply:
    'Copy the shipped overlay into the Parakeet container (originals backed up first), check Python syntax, restart, wait for health',
  restore: 'Put back the files the container had before the first reapply, restart, wait for health',
  restart: 'Restart the Parakeet container and wait for health',
};

export async function speechModelsRoutes(fastify: FastifyInstance, d: { service: SpeechModelsService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/speech-models',
    {
      schema: {
        summary: 'Shipped overlay files vs the Parakeet container (in_sync | drift | missing), models loaded',
        tags: ['speech-models'],
        querystring: Type.Object({ refresh: Flag }),
      },
    },
    async (req) => (on(req.query.refresh) ? d.service.refresh() : d.service.current()),
  );

  for (const op of ['reapply', 'restore', 'restart'] as const) {
    app.post(
      `/api/speech-models/${op}`,
      {
        schema: { summary: SUMMARY[op], tags: ['speech-models'], querystring: Type.Object({ wait: Flag }) },
      },
      async (req, reply) => {
        const handle = await d.service.startOp(op);
        if (!on(req.query.wait)) return reply.code(202).send({ job_id: handle.id, job: handle.info() });
        await handle.done;
        return d.service.result(handle.id);
      },
    );
  }

  app.get(
    '/api/speech-models/jobs/:id',
    {
      schema: {
        summary: 'Step-by-step result of a reapply, restore or restart job',
        tags: ['speech-models'],
        params: Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN }) }),
      },
    },
    async (req) => d.service.result(req.params.id),
  );
}
