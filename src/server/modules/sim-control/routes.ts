// Fault controls of the built-in simulated cluster, registered only when it runs (demo mode):
// the dashboard's chaos controls and the browser tests use them. Real clusters never see these.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';

export interface SimFaults {
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
}
