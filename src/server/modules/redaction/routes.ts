// The redaction gateway's HTTP side (SPEC §11): POST /scrub and POST /rehydrate (called by other
// apps, so exempt from the same-origin guard — request-origin.ts — and guarded by the gateway's
// API keys instead: required once any key is configured, as on /v1, with a dashboard sign-in also
// passing so the Data tab's tester works: gateway/key-access.ts), and the task
// view and delete under /api/redaction (control routes: admin auth and same-origin as usual).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { TASK_ID_PATTERN } from '../../../common/redaction-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { AdminAuth } from '../auth/service.js';
import { apiKeyAccessHook } from '../gateway/key-access.js';
import type { RedactionService } from './service.js';

export interface RedactionRoutesDeps {
  service: RedactionService;
  apiKeys: readonly { name: string; key: string }[];
  admin: AdminAuth | null;
  /** redaction.max_text_kb in bytes: the largest `text` accepted. */
  maxTextBytes: number;
}

const tags = ['redaction'];
const TaskId = Type.String({
  pattern: TASK_ID_PATTERN,
  description: 'A task id (what /scrub issued or was given)',
});
const EntityFound = Type.Object({ type: Type.String(), placeholder: Type.String(), count: Type.Integer() });

export async function redactionRoutes(app: FastifyInstance, d: RedactionRoutesDeps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const limitKb = Math.round(d.maxTextBytes / 1024);
  const tooLarge = () =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `The text is larger than the redaction limit of ${limitKb} KB (redaction.max_text_kb).`,
    );
  const checkSize = (text: string) => {
    if (text.length > d.maxTextBytes || Buffer.byteLength(text, 'utf8') > d.maxTextBytes) throw tooLarge();
  };
  // JSON escapes can make a body several times its text (\uXXXX): the body limit leaves room for
  // that, and the text itself is measured above.
  const bodyLimit = d.maxTextBytes * 6 + 64 * 1024;

  await r.register(async (scope) => {
    const data = scope.withTypeProvider<TypeBoxTypeProvider>();
    data.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge();
      throw err;
    });
    data.addHook(
      'onRequest',
      apiKeyAccessHook({ apiKeys: d.apiKeys, admin: d.admin, what: 'The redaction gateway' }),
    );

    data.post(
      '/scrub',
      {
        bodyLimit,
        schema: {
          summary: 'Replace PII in a text with placeholders ([EMAIL_1]); the values stay in the vault',
          tags,
          body: Type.Object(
            {
              text: Type.String(),
              task_id: Type.Optional(TaskId),
              entities: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
                  maxItems: 64,
                  description: 'Only these entity types (default: all)',
                }),
              ),
              language: Type.Optional(
                Type.String({
                  pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$',
                  description: 'Phone region: US, de-CH, …',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              text: Type.String(),
              task_id: Type.String(),
              entities_found: Type.Array(EntityFound),
            }),
          },
        },
      },
      async (req) => {
        checkSize(req.body.text);
        return d.service.scrub(req.body);
      },
    );

    data.post(
      '/rehydrate',
      {
        bodyLimit,
        schema: {
          summary:
            "Put a task's values back where its placeholders stand (tolerant of what models do to them)",
          tags,
          body: Type.Object({ text: Type.String(), task_id: TaskId }, { additionalProperties: false }),
          response: { 200: Type.Object({ text: Type.String(), task_id: Type.String() }) },
        },
      },
      async (req) => {
        checkSize(req.body.text);
        return d.service.rehydrate(req.body);
      },
    );
  });

  const params = Type.Object({ task_id: TaskId });
  r.get(
    '/api/redaction/tasks/:task_id',
    {
      schema: {
        summary: "A redaction task's placeholders and types (never the values) and when it expires",
        tags,
        params,
        response: {
          200: Type.Object({
            task_id: Type.String(),
            created_at: Type.String(),
            expires_at: Type.String(),
            placeholders: Type.Array(Type.Object({ placeholder: Type.String(), type: Type.String() })),
          }),
        },
      },
    },
    async (req) => d.service.task(req.params.task_id),
  );

  r.delete(
    '/api/redaction/tasks/:task_id',
    { schema: { summary: 'Delete a redaction task and its stored values now', tags, params } },
    async (req, reply) => {
      d.service.deleteTask(req.params.task_id);
      return reply.code(204).send();
    },
  );
}
