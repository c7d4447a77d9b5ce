// GET /api/events — the dashboard's live channel: current state replayed, then live envelopes.
import type { FastifyInstance } from 'fastify';
import { openSse } from '../http/sse.js';
import type { EventBus } from './bus.js';

export async function eventRoutes(app: FastifyInstance, opts: { bus: EventBus; pingMs?: number }) {
  app.get(
    '/api/events',
    {
      schema: {
        summary: 'Live event stream (SSE): typed envelopes {type, ts, data}; current state first',
        tags: ['platform'],
        produces: ['text/event-stream'],
      },
    },
    (req, reply) => {
      const sse = openSse(req, reply, { pingMs: opts.pingMs });
      for (const e of opts.bus.currentState()) sse.send(e);
      const unsubscribe = opts.bus.subscribe((e) => sse.send(e));
      sse.onClose(unsubscribe);
    },
  );
}
