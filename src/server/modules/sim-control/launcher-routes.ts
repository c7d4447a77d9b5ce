// The simulated launcher's controls (demo mode and browser tests): its origin gains a commit (the
// Updates banner then has something to show) and the next `docker build` fails midway as a broken
// nightly does (the update fails; Roll back is offered). No switch makes the checkout clean or
// dirty: the route fuzzer keeps it dirty so its fuzzed applies never start a real build.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SimFaultApi } from '../../../sim/index.js';

export type SimLauncherFaults = Pick<SimFaultApi, 'launcherCommit' | 'launcherBuildFault'>;

const tags = ['simulator'];
const OnBody = Type.Object({ on: Type.Boolean() }, { additionalProperties: false });

export async function simLauncherRoutes(fastify: FastifyInstance, d: { sim: SimLauncherFaults }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/sim/launcher/commit',
    {
      schema: {
        summary:
          "Simulated cluster: a new commit on the launcher's origin (the head's checkout falls behind)",
        tags,
        body: Type.Optional(
          Type.Object(
            {
              message: Type.Optional(
                Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
      },
    },
    async (req) => ({ sha: d.sim.launcherCommit(req.body?.message ?? 'Update launcher') }),
  );
  app.post(
    '/api/sim/launcher/build-fault',
    {
      schema: {
        summary: 'Simulated cluster: the next launcher image builds fail midway',
        tags,
        body: OnBody,
      },
    },
    async (req) => {
      d.sim.launcherBuildFault(req.body.on);
      return { ok: true, on: req.body.on };
    },
  );
}
