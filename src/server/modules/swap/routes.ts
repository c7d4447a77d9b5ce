// Swap endpoints (SPEC §5). The GPU lock (`/api/swap/lock`) lives in the coordination module;
// Fastify matches that static path before the parametric `/api/swap/:id`.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import { streamJob } from '../../platform/jobs/stream.js';
import type { SwapService } from './service.js';

const Id = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const Key = Type.Object({ key: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }) });

export async function swapRoutes(fastify: FastifyInstance, d: { swaps: SwapService; runner: JobRunnerApi }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/swap',
    {
      schema: {
        summary:
          'Start a model swap; refused with 409 while another runs or the GPU is locked by someone else',
        tags: ['swap'],
        body: Type.Object(
          {
            key: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
            holder: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9 ._@:-]{1,64}$' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { key, holder } = req.body;
      return d.swaps.startChecked(key, holder ?? null);
    },
  );

  app.get(
    '/api/swap/current',
    {
      schema: {
        summary: 'The running swap, or the most recent one (null when none ever ran)',
        tags: ['swap'],
      },
    },
    async () => d.swaps.current(),
  );

  app.get(
    '/api/swap/:id',
    { schema: { summary: 'One swap: state, phase, timings, log tail', tags: ['swap'], params: Id } },
    async (req) => d.swaps.get(req.params.id),
  );

  app.get(
    '/api/swap/:id/stream',
    {
      schema: {
        summary: 'Swap log and state as SSE: history replayed, then live lines and state changes',
        tags: ['swap'],
        params: Id,
        produces: ['text/event-stream'],
      },
    },
    (req, reply) => {
      const { id } = req.params;
      d.swaps.get(id);
      streamJob(req, reply, d.runner, id);
    },
  );

  app.delete(
    '/api/swap/:id',
    { schema: { summary: 'Cancel a swap (a half-loaded model is stopped)', tags: ['swap'], params: Id } },
    async (req) => d.swaps.cancel(req.params.id),
  );

  app.post(
    '/api/swap/:key/validate',
    {
      schema: {
        summary: "Pre-flight: vLLM's own argument parser on the exact swap argv, plus static checks",
        tags: ['swap'],
        params: Key,
      },
    },
    async (req) => d.swaps.validate(req.params.key),
  );
}
