// Disk inventory and guarded delete (SPEC §6). Reads answer from the background snapshot; the
// deletes are one-line hand-offs to DiskService, which validates every name before any SSH.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DiskDeleteResponse, DiskResponse } from '../../../common/disk-api.js';
import type { DiskService } from './service.js';
import type { DiskSnapshot } from './snapshot.js';

// Shapes only (and short): the service checks content with the Hub's naming rules → a clear 400.
const Part = Type.String({ minLength: 1, maxLength: 200 });

export async function diskRoutes(
  fastify: FastifyInstance,
  d: { snapshot: DiskSnapshot; service: DiskService },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/models/disk-status',
    {
      schema: {
        summary: 'Per catalog model and node: on disk, size, complete (from the last scan)',
        tags: ['disk'],
      },
    },
    // Pre-serialized once per snapshot change (DiskStatusResponse as JSON text).
    async (_req, reply) => reply.type('application/json; charset=utf-8').send(d.snapshot.modelStatusJson()),
  );
  app.get(
    '/api/disk',
    {
      schema: {
        summary: 'Per node: free space of / and the HF cache, every cached repo with its size',
        tags: ['disk'],
      },
    },
    async (): Promise<DiskResponse> => d.snapshot.disk(),
  );
  app.post(
    '/api/disk/refresh',
    { schema: { summary: 'Scan every node now and answer with the fresh inventory', tags: ['disk'] } },
    async (): Promise<DiskResponse> => {
      await d.snapshot.refresh(d.snapshot.nodeNames());
      return d.snapshot.disk();
    },
  );
  app.delete(
    '/api/models/:key/disk',
    {
      schema: {
        summary: "Delete a catalog model's weights from the nodes it runs on (the catalog entry stays)",
        tags: ['disk'],
        params: Type.Object({ key: Type.String({ maxLength: 64 }) }),
      },
    },
    async (req): Promise<DiskDeleteResponse> => d.service.deleteModel(req.params.key),
  );
  app.delete(
    '/api/disk/:node/:org/:name',
    {
      schema: {
        summary: 'Delete one cached repo (e.g. one no catalog entry names) from one node',
        tags: ['disk'],
        params: Type.Object({ node: Part, org: Part, name: Part }),
      },
    },
    async (req): Promise<DiskDeleteResponse> =>
      d.service.deleteRepo(req.params.node, req.params.org, req.params.name),
  );
}
