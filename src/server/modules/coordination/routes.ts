// Coordination endpoints (SPEC §5): the GPU lock and schedule visibility. Handlers are one-line
// hand-offs; the services validate again for callers that bypass HTTP.
//
// `/api/swap/lock` lives next to the swap module's `/api/swap/:id`. Fastify's router always
// prefers a static segment over a parametric one, whichever is registered first, so `lock` is
// never taken for a swap id; test/integration/coordination.test.ts registers a fake
// `/api/swap/:id` to keep that true.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/http/errors.js';
import type { GpuLockService } from './gpu-lock.js';
import { SCHEDULE_LIMITS, type ScheduleService } from './schedules.js';
import { HOLDER_PATTERN, MAX_REASON, MAX_TTL_S } from './validate.js';

export interface CoordinationRoutesDeps {
  lock: GpuLockService;
  schedules: ScheduleService;
}

const tags = ['coordination'];
const Holder = Type.String({
  pattern: HOLDER_PATTERN,
  description: 'Who holds the GPU, e.g. "nightly-batch"',
});

const AcquireBody = Type.Object(
  {
    holder: Holder,
    ttl_s: Type.Integer({ minimum: 1, maximum: MAX_TTL_S, description: 'Seconds until the lock expires' }),
    reason: Type.Optional(Type.String({ maxLength: MAX_REASON })),
  },
  { additionalProperties: false },
);

const L = SCHEDULE_LIMITS;
const Text = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const ScheduleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: L.name }),
    schedule: Type.String({
      minLength: 1,
      maxLength: L.schedule,
      description: 'Cron expression or free text ("daily 02:00"), shown as is',
    }),
    model_key: Text(L.model_key),
    owner: Text(L.owner),
    description: Text(L.description),
    next_run: Type.Optional(
      Type.Union([Type.String({ maxLength: 40, description: 'ISO 8601 date-time' }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

/**
 * Unknown keys are refused before validation, whatever the app's Ajv `removeAdditional` setting
 * (which would otherwise drop them silently): a typo such as `?holdr=` must never turn a
 * holder's release into a force release.
 */
const onlyKeys = (part: 'body' | 'query', allowed: string[]) => async (req: FastifyRequest) => {
  const value: unknown = req[part];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const names = unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40)));
  const what = part === 'body' ? 'field' : 'query parameter';
  throw new AppError(
    'INVALID_INPUT',
    `Unknown ${what}${unknown.length > 1 ? 's' : ''} ${names.join(', ')}; allowed: ${allowed.join(', ')}.`,
  );
};

/** DELETE may name the holder in the query or in a JSON body; the body is optional, so no schema. */
function releaseHolder(query: { holder?: string }, body: unknown): string | undefined {
  let fromBody: string | undefined;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body))
      throw new AppError(
        'INVALID_INPUT',
        'The body, when present, must be a JSON object like {"holder": "…"}.',
      );
    const holder = 'holder' in body ? body.holder : undefined;
    if (holder !== undefined && typeof holder !== 'string')
      throw new AppError('INVALID_INPUT', '"holder" must be a string.');
    fromBody = holder;
  }
  const q = query.holder;
  if (q !== undefined && fromBody !== undefined && q !== fromBody)
    throw new AppError('INVALID_INPUT', 'The query and the body name different holders.');
  return q ?? fromBody;
}

export async function coordinationRoutes(fastify: FastifyInstance, d: CoordinationRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/swap/lock',
    {
      schema: {
        summary: 'Take (or renew) the GPU lock; 409 while someone else holds it',
        tags,
        body: AcquireBody,
      },
      preValidation: onlyKeys('body', Object.keys(AcquireBody.properties)),
    },
    async (req) => d.lock.acquire(req.body),
  );

  app.get(
    '/api/swap/lock',
    { schema: { summary: 'Who holds the GPU lock and until when', tags } },
    async () => d.lock.current(),
  );

  app.delete(
    '/api/swap/lock',
    {
      schema: {
        summary: 'Release the GPU lock: by its holder (?holder= or {holder}), or forced without one',
        tags,
        querystring: Type.Object({ holder: Type.Optional(Holder) }, { additionalProperties: false }),
      },
      preValidation: [onlyKeys('query', ['holder']), onlyKeys('body', ['holder'])],
    },
    async (req) => d.lock.release(releaseHolder(req.query, req.body)),
  );

  app.post(
    '/api/schedules',
    {
      schema: {
        summary: 'Register a read-only schedule entry (same name and owner replaces it)',
        tags,
        body: ScheduleBody,
      },
      preValidation: onlyKeys('body', Object.keys(ScheduleBody.properties)),
    },
    async (req, reply) => reply.code(201).send(d.schedules.add(req.body)),
  );

  app.get(
    '/api/schedules',
    { schema: { summary: 'Schedule entries registered by external schedulers', tags } },
    async () => ({ schedules: d.schedules.list() }),
  );

  app.delete(
    '/api/schedules/:id',
    {
      schema: {
        summary: 'Remove a schedule entry',
        tags,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      },
    },
    async (req) => {
      const { id } = req.params;
      d.schedules.remove(id);
      return { ok: true, id };
    },
  );
}
