// GET /metrics: Prometheus' text exposition of every collector (index.ts). Outside /api on
// purpose: Prometheus' default metrics_path, and the admin session hook does not apply — access
// is metricsGuard's (access.ts), which Prometheus can satisfy with a bearer token.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import type { MetricsAccess } from './access.js';
import type { Scrape } from './scrape.js';

export async function metricsRoutes(
  app: FastifyInstance,
  d: {
    scrape: Pick<Scrape, 'body' | 'contentType'>;
    guard: (headers: { authorization?: string; cookie?: string }) => MetricsAccess;
  },
) {
  app.get(
    '/metrics',
    {
      schema: {
        summary:
          'Prometheus metrics (text format 0.0.4): nodes, services, deep checks, swaps, gateway, jobs. Bearer metrics.token when set',
        tags: ['platform'],
        produces: ['text/plain'],
      },
    },
    async (req, reply) => {
      const access = d.guard(req.headers);
      if (!access.ok)
        throw new AppError('UNAUTHORIZED', access.message, { headers: { 'www-authenticate': 'Bearer' } });
      // Already UTF-8 bytes (Scrape.body): sent as they are, with their length.
      const body = await d.scrape.body();
      return reply.header('cache-control', 'no-store').type(d.scrape.contentType).send(body);
    },
  );
}
