// Job endpoints: list, detail with a log tail, cancel, dismiss, and the SSE stream. One-line hand-offs.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { JOB_ID_PATTERN, type JobRunner } from './runner.js';
import { streamJob } from './stream.js';

export interface JobRoutesDeps {
  runner: JobRunner;
  pingMs?: number;
}

const IdParam = Type.Object({ id: Type.String({ pattern: JOB_ID_PATTERN }) });
/** DELETE waits this long for the job to stop so it can usually answer the final state. */
const CANCEL_WAIT_MS = 2000;

export async function jobRoutes(fastify: FastifyInstance, d: JobRoutesDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const notFound = (id: string) => new AppError('NOT_FOUND', `No job with id ${id}.`);

  app.get(
    '/api/jobs',
    {
      schema: {
        summary: 'Recent jobs (swaps, downloads, installs, updates), newest first',
        tags: ['jobs'],
        querystring: Type.Object({
          kind: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (req) => d.runner.list(req.query),
  );

  app.get(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'One job with the last 50 lines of its log',
        tags: ['jobs'],
        params: IdParam,
      },
    },
    async (req) => {
      const { id } = req.params;
      const job = d.runner.detail(id);
      if (!job) throw notFound(id);
      return job;
    },
  );

  app.delete(
    '/api/jobs/:id',
    {
      schema: {
        summary: 'Cancel a running job; answers its state (final when it stops within 2 s)',
        tags: ['jobs'],
        params: IdParam,
      },
    },
    async (req) => {
      const { id } = req.params;
      d.runner.cancel(id);
      const job = await d.runner.settled(id, CANCEL_WAIT_MS);
      if (!job) throw notFound(id);
      return job;
    },
  );

  app.post(
    '/api/jobs/:id/dismiss',
    {
      schema: {
        summary:
          "Dismiss an ended job's notice on its card (kept across restarts; idempotent); 409 while it runs",
        tags: ['jobs'],
        params: IdParam,
      },
    },
    async (req) => d.runner.dismiss(req.params.id),
  );

  app.get(
    '/api/jobs/:id/log',
    {
      schema: {
        summary: 'One job\'s whole log as plain text (what a card\'s "job log" link opens)',
        tags: ['jobs'],
        params: IdParam,
        produces: ['text/plain'],
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const job = d.runner.get(id);
      if (!job) throw notFound(id);
      // At most the 5,000 lines a job keeps; the oldest ones dropped to stay under it are counted.
      const dropped = d.runner.detail(id, 1)?.log_dropped ?? 0;
      const lines = d.runner.logSince(id, 0, 10_000).map((l) => `${l.ts}  ${l.line}`);
      const head = [
        `job ${job.id} (${job.kind}): ${job.state}${job.error ? ` — ${job.error}` : ''}`,
        ...(dropped > 0 ? [`(${dropped} earlier lines were dropped)`] : []),
      ];
      return reply.type('text/plain; charset=utf-8').send(`${[...head, ...lines].join('\n')}\n`);
    },
  );

  app.get(
    '/api/jobs/:id/stream',
    {
      schema: {
        summary: 'Job stream (SSE): the whole log replayed, the job, live lines and changes, then end',
        tags: ['jobs'],
        params: IdParam,
        produces: ['text/event-stream'],
      },
    },
    (req, reply) => streamJob(req, reply, d.runner, req.params.id, { pingMs: d.pingMs }),
  );
}
