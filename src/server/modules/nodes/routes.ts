// Hardware and SSH-identity endpoints (SPEC §2, §3). Handlers are one-line hand-offs.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PublicKeyResponse } from '../../../common/api.js';
import type { NodeConfig } from '../../config/types.js';
import { AppError } from '../../platform/http/errors.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { HardwareService } from './hardware-service.js';
import type { HardwareStore } from './hardware-store.js';

export interface NodeRoutesDeps {
  nodes: NodeConfig[];
  hardware: HardwareService;
  store: HardwareStore;
  transport: NodeTransport;
  historyHours: number;
  publicKey: () => PublicKeyResponse;
}

const NodeParam = Type.Object({ node: Type.String({ maxLength: 64 }) });

export async function nodeRoutes(fastify: FastifyInstance, d: NodeRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const requireNode = (name: string) => {
    const node = d.nodes.find((n) => n.name === name);
    if (!node) throw new AppError('UNKNOWN_NODE', `No node named "${name}" is configured.`);
    return node;
  };

  app.get(
    '/api/hardware',
    {
      schema: {
        summary: 'Latest hardware snapshot of every node (from memory, with its age)',
        tags: ['hardware'],
      },
    },
    async () => d.hardware.current(),
  );

  app.get(
    '/api/hardware/history',
    {
      schema: {
        summary: 'Hardware history of one node for charts',
        tags: ['hardware'],
        querystring: Type.Object({
          node: Type.String({ maxLength: 64 }),
          minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 30, default: 60 })),
        }),
      },
    },
    async (req) => {
      const { node, minutes = 60 } = req.query;
      requireNode(node);
      const window = Math.min(minutes, d.historyHours * 60);
      return { node, minutes: window, samples: d.store.history(node, window) };
    },
  );

  app.get(
    '/api/ssh/public-key',
    {
      schema: {
        summary: "The control plane's SSH public key and a paste-ready command per node to authorize it",
        tags: ['ssh'],
      },
    },
    async () => d.publicKey(),
  );

  app.post(
    '/api/ssh/retrust/:node',
    {
      schema: {
        summary:
          "Forget a node's pinned host key so the next connection trusts (and pins) the key it presents",
        tags: ['ssh'],
        params: NodeParam,
      },
    },
    async (req) => {
      const node = requireNode(req.params.node);
      await d.transport.retrust(node.name);
      d.hardware.sweepSoon();
      return {
        ok: true,
        node: node.name,
        message: `The next connection to ${node.host} will pin the key it presents.`,
      };
    },
  );

  app.post(
    '/api/ssh/check/:node',
    {
      schema: {
        summary: 'Try the SSH connection to a node now (after authorizing the key), without waiting',
        tags: ['ssh'],
        params: NodeParam,
      },
    },
    async (req) => {
      const node = requireNode(req.params.node);
      // A failure is the answer here, not an error: the state says why.
      await d.transport.checkNow(node.name).catch(() => undefined);
      d.hardware.sweepSoon();
      return { node: node.name, connection: d.transport.state(node.name) };
    },
  );
}
