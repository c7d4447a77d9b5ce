// Model catalog endpoints (SPEC §4). Handlers are one-line hand-offs; the schemas here check
// shapes only, while CatalogService checks content (repo, path and args reach a shell).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ModelsResponse } from '../../../common/api.js';
import { EntrySchema, KEY_PATTERN } from './entry.js';
import { MAX_MODEL_LEN_LIMIT } from './knobs.js';
import type { CatalogService } from './service.js';

export interface CatalogRoutesDeps {
  catalog: CatalogService;
  /** What vLLM is serving now (from the status/swap module); absent means "unknown". */
  loaded?: () => { key: string | null; model: string | null };
}

const KeyParam = Type.Object({ key: Type.String({ maxLength: 64 }) });

/**
 * `type: [number, null]` rather than anyOf: bodies are not coerced any more, but a plain type list
 * also keeps the OpenAPI document simple. Unknown fields are left for
 * validateKnobs to refuse, since Fastify's default Ajv would silently strip them.
 */
const nullableNumber = (opts: Record<string, unknown>) =>
  Type.Optional(Type.Unsafe<number | null>({ type: ['number', 'null'], ...opts }));

const KnobsBody = Type.Object({
  max_model_len: nullableNumber({
    multipleOf: 1,
    minimum: 1,
    maximum: MAX_MODEL_LEN_LIMIT,
    description: 'Context length (--max-model-len); null removes the flag',
  }),
  gpu_memory_utilization: nullableNumber({
    exclusiveMinimum: 0,
    maximum: 1,
    description: 'Fraction of memory vLLM may take (--gpu-memory-utilization); null removes the flag',
  }),
  fastsafetensors: Type.Optional(Type.Boolean({ description: '--load-format fastsafetensors' })),
  prefix_caching: Type.Optional(Type.Boolean({ description: '--enable-prefix-caching' })),
  fp8_kv_cache: Type.Optional(Type.Boolean({ description: '--kv-cache-dtype fp8' })),
});

/** Same fields as a models.yaml entry plus the key; unknown fields reach the service, which names them. */
const CustomModelBody = Type.Object({
  key: Type.String({ pattern: KEY_PATTERN }),
  ...EntrySchema.properties,
});

export async function catalogRoutes(fastify: FastifyInstance, d: CatalogRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/models',
    {
      schema: {
        summary: 'The model catalog with effective knobs and args, and which model is loaded',
        tags: ['models'],
      },
    },
    async (): Promise<ModelsResponse> => {
      const now = d.loaded?.() ?? { key: null, model: null };
      const loaded_key = now.key ?? (now.model ? d.catalog.keyForServedModel(now.model) : null);
      return { models: d.catalog.list(), loaded_key, loaded_model: now.model };
    },
  );

  app.post(
    '/api/models',
    {
      schema: {
        summary: 'Add a custom model: a Hugging Face repo or a directory on the Spark',
        tags: ['models'],
        body: CustomModelBody,
      },
    },
    async (req, reply) => {
      const model = d.catalog.add(req.body);
      return reply.code(201).send(model);
    },
  );

  app.delete(
    '/api/models/:key',
    {
      schema: {
        summary: 'Remove a custom model from the catalog (bundled models cannot be removed)',
        tags: ['models'],
        params: KeyParam,
      },
    },
    async (req) => {
      const { key } = req.params;
      d.catalog.remove(key);
      return { ok: true, key };
    },
  );

  app.put(
    '/api/models/:key/knobs',
    {
      schema: {
        summary: "Change a model's knobs; they apply from the next swap",
        tags: ['models'],
        params: KeyParam,
        body: KnobsBody,
      },
    },
    async (req) => d.catalog.setKnobs(req.params.key, req.body),
  );
}
