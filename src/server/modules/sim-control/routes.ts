// Fault controls of the built-in simulated cluster, registered only when it runs (demo mode):
// the dashboard's chaos controls and the browser tests use them. Real clusters never see these.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import { DEMO_FAULTS, listFaults, type SimServiceFaults } from './faults.js';

export interface SimFaults extends SimServiceFaults {
  nodeDown(name: string): Promise<void>;
  nodeUp(name: string): Promise<void>;
  setLatency(name: string, ms: number): void;
  hangSsh(name: string, on: boolean): void;
}

const Params = Type.Object({
  node: Type.String({ maxLength: 64 }),
  action: Type.Union([Type.Literal('down'), Type.Literal('up')]),
});

export async function simControlRoutes(
  fastify: FastifyInstance,
  d: { sim: SimFaults; nodes: NodeConfig[]; onChange: () => void },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const requireNode = (name: string) => {
    if (!d.nodes.some((n) => n.name === name))
      throw new AppError('UNKNOWN_NODE', `No simulated node named "${name}".`);
  };
  app.post(
    '/api/sim/nodes/:node/:action',
    {
      schema: {
        summary: 'Simulated cluster: take a node down or bring it back',
        tags: ['simulator'],
        params: Params,
      },
    },
    async (req) => {
      const { node, action } = req.params;
      requireNode(node);
      await (action === 'down' ? d.sim.nodeDown(node) : d.sim.nodeUp(node));
      d.onChange();
      return { ok: true, node, state: action };
    },
  );
  app.post(
    '/api/sim/nodes/:node/latency',
    {
      schema: {
        summary: 'Simulated cluster: add latency to every command on a node',
        tags: ['simulator'],
        params: Type.Object({ node: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 120_000 }) }),
      },
    },
    async (req) => {
      const { node } = req.params;
      requireNode(node);
      d.sim.setLatency(node, req.body.ms);
      return { ok: true };
    },
  );
  app.post(
    '/api/sim/nodes/:node/hang',
    {
      schema: {
        summary: 'Simulated cluster: make SSH to a node hang (or stop hanging)',
        tags: ['simulator'],
        params: Type.Object({ node: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ on: Type.Boolean() }),
      },
    },
    async (req) => {
      const { node } = req.params;
      requireNode(node);
      d.sim.hangSsh(node, req.body.on);
      return { ok: true };
    },
  );
  app.get(
    '/api/sim/faults',
    { schema: { summary: 'Simulated cluster: every demo fault and whether it is on', tags: ['simulator'] } },
    async () => ({ faults: listFaults(d.sim) }),
  );
  app.post(
    '/api/sim/faults/:name',
    {
      schema: {
        summary: 'Simulated cluster: turn a demo fault on or off',
        tags: ['simulator'],
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ on: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const fault = DEMO_FAULTS.find((f) => f.name === req.params.name);
      if (!fault)
        throw new AppError(
          'NOT_FOUND',
          `No simulator fault named "${req.params.name}" (known: ${DEMO_FAULTS.map((f) => f.name).join(', ')}).`,
        );
      fault.set(d.sim, req.body.on);
      d.onChange();
      return listFaults(d.sim).find((f) => f.name === fault.name);
    },
  );
}
