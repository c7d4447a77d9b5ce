// Connectivity endpoints (SPEC §3): the log and the passive report endpoint other apps use to
// surface failures the poller would miss. Handlers hand off to ConnectivityLog, which validates
// again for callers that bypass HTTP.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HealthEventBody } from '../../../common/api.js';
import { AppError } from '../../platform/http/errors.js';
import { MAX_BUCKETS } from './availability.js';
import { MAX_HOURS } from './changes.js';
import { DEFAULT_LIMIT, MAX_LIMIT, type ConnectivityLog } from './log.js';
import { MAX_ERROR, MAX_MS, NAME_PATTERN, subjectOf } from './validate.js';

export interface ConnectivityRoutesDeps {
  connectivity: ConnectivityLog;
}

const tags = ['connectivity'];
const Name = (description: string) => Type.Optional(Type.String({ pattern: NAME_PATTERN, description }));

const HealthEvent = Type.Object(
  {
    service: Name('What the report is about: a node name, "vllm", "parakeet", "magpie" or any service'),
    subject: Name('Same as "service"'),
    spark: Name('Legacy name of "service"'),
    ok: Type.Boolean({ description: 'false: it failed; true: it worked (e.g. a recovery)' }),
    source: Name('Who reports it, e.g. "open-webui" (default "external")'),
    error: Type.Optional(Type.String({ maxLength: MAX_ERROR })),
    ms: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_MS, description: 'Latency in milliseconds' })),
  },
  { additionalProperties: false },
);

const Query = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_LIMIT,
        default: DEFAULT_LIMIT,
        description: 'Events returned',
      }),
    ),
  },
  { additionalProperties: false },
);

const AvailabilityQuery = Type.Object(
  {
    hours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_HOURS, default: 24, description: 'Length of the window' }),
    ),
    bucket_min: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1440, default: 15, description: 'Minutes per bucket' }),
    ),
  },
  { additionalProperties: false },
);

/** The window must hold a whole number of buckets, and not too many of them. */
export function checkBuckets(hours: number, bucketMin: number): void {
  const minutes = hours * 60;
  if (minutes % bucketMin !== 0)
    throw new AppError(
      'INVALID_INPUT',
      `"bucket_min" (${bucketMin}) must divide the window (${hours} h = ${minutes} min) evenly, e.g. 5, 15 or 60.`,
    );
  if (minutes / bucketMin > MAX_BUCKETS)
    throw new AppError(
      'INVALID_INPUT',
      `${hours} h in ${bucketMin}-minute buckets is ${minutes / bucketMin} buckets; at most ${MAX_BUCKETS} allowed: use longer buckets.`,
    );
}

export async function connectivityRoutes(fastify: FastifyInstance, d: ConnectivityRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/connectivity',
    {
      schema: {
        summary: 'Current up/down state per node and service, and the event log (newest first)',
        tags,
        querystring: Query,
      },
    },
    async (req) => d.connectivity.snapshot(req.query.limit),
  );

  app.get(
    '/api/connectivity/availability',
    {
      schema: {
        summary:
          'Per node and service, the share of each time bucket it was up, down or unknown (from active polling)',
        tags,
        querystring: AvailabilityQuery,
      },
    },
    async (req) => {
      const { hours = 24, bucket_min: bucketMin = 15 } = req.query;
      checkBuckets(hours, bucketMin);
      return d.connectivity.availability(hours, bucketMin);
    },
  );

  app.post(
    '/api/health-event',
    {
      schema: {
        summary: "Report a service's failure or recovery seen by another app (never changes the state)",
        tags,
        body: HealthEvent,
      },
    },
    async (req, reply) => {
      const body: HealthEventBody = req.body;
      const event = d.connectivity.report({
        subject: subjectOf(body),
        ok: body.ok,
        source: body.source ?? 'external',
        error: body.error,
        ms: body.ms,
      });
      return reply.code(201).send(event);
    },
  );
}
