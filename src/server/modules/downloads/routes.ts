// Download endpoints (SPEC §6): `POST /api/download` → 202 {job_id}; progress, the per-node
// bytes/total/rate/ETA (`job.meta.nodes`), the live log and cancel are the job's
// (`/api/jobs/{id}`, `/stream`, `DELETE`); `POST /api/download/{job_id}/retry` re-runs the nodes
// that did not succeed.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JOB_ID_PATTERN } from '../../platform/jobs/ids.js';
import type { DownloadService } from './service.js';

const tags = ['downloads'];

// Shapes only: the validator gives each field's rule in its 400 message.
const DownloadBody = Type.Object(
  {
    repo: Type.String({ maxLength: 200, description: 'Hugging Face repo id, e.g. Qwen/Qwen3-0.6B' }),
    nodes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
    mode: Type.Optional(
      Type.Union([Type.Literal('spark1'), Type.Literal('spark2'), Type.Literal('both')], {
        description: 'The original API: the first node, the second, or both (instead of nodes)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Started = Type.Object({ job_id: Type.String() });

export async function downloadRoutes(fastify: FastifyInstance, d: { downloads: DownloadService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/download',
    {
      schema: {
        summary:
          'Download a model repo into the HF cache of the target nodes (hf download, in parallel) as a job; 202 {job_id}, 409 when a download already runs on a target node',
        tags,
        body: DownloadBody,
        response: { 202: Started },
      },
    },
    async (req, reply) => reply.code(202).send(d.downloads.start(req.body)),
  );
  app.post(
    '/api/download/:job_id/retry',
    {
      schema: {
        summary:
          'Retry a finished download job on the nodes where it did not succeed (partial files resume); 202 {job_id}',
        tags,
        params: Type.Object({ job_id: Type.String({ pattern: JOB_ID_PATTERN }) }),
        response: { 202: Started },
      },
    },
    async (req, reply) => reply.code(202).send(d.downloads.retry(req.params.job_id)),
  );
}
