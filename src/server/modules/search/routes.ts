// POST /api/search and GET /api/search/collections (SPEC §12). The body schema documents the
// request for the OpenAPI page and refuses wrong types early; the service validates again in full
// (validate.ts), with messages that name the field.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { COLLECTION_NAME_PATTERN } from '../../../common/search-api.js';
import type { SearchService } from './service.js';
import { MAX_LIMIT, MAX_QUERY_CHARS, MAX_VECTOR_DIMS } from './validate.js';

const tags = ['search'];

const SearchBody = Type.Object(
  {
    collection: Type.String({
      pattern: COLLECTION_NAME_PATTERN,
      description: 'Qdrant collection: letters, digits, ".", "_", "-" (never "..")',
    }),
    query: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_QUERY_CHARS,
        description: 'Text, embedded by the embeddings service',
      }),
    ),
    vector: Type.Optional(
      Type.Array(Type.Number(), { minItems: 1, maxItems: MAX_VECTOR_DIMS, description: 'Instead of query' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: 'Default 10' })),
    filter: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'A Qdrant filter, passed through' }),
    ),
    score_threshold: Type.Optional(Type.Number({ description: 'Drop hits scoring below this' })),
    with_payload: Type.Optional(Type.Boolean({ description: 'Default true' })),
  },
  { additionalProperties: false },
);

export async function searchRoutes(fastify: FastifyInstance, d: { service: SearchService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/search',
    {
      schema: {
        summary:
          'Semantic search in a Qdrant collection (query embedded by the embeddings service, or a vector)',
        tags,
        body: SearchBody,
      },
    },
    async (req) => d.service.search(req.body),
  );
  app.get(
    '/api/search/collections',
    { schema: { summary: 'The Qdrant collections search can use', tags } },
    async () => d.service.collections(),
  );
}
