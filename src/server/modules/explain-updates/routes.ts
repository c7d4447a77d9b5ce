// `POST /api/explain-updates` → `text/event-stream` of `data: <ExplainEvent JSON>` lines: `start`,
// then `reasoning` / `content` pieces as the model writes them, then `done` (or one `error`).
// Every refusal — nothing pending, no model loaded, vLLM's own error before its first byte — is a
// JSON answer with its status before any stream byte. A control route: the request guard's
// same-origin rule and admin auth apply as to every /api POST. A client that leaves aborts the
// request to vLLM, which frees its slot.
import type { FastifyInstance } from 'fastify';
import { sendError } from '../../platform/http/error-handler.js';
import { openSse } from '../../platform/http/sse.js';
import type { ExplainEvent } from '../../../common/updates-api.js';
import type { ExplainService } from './service.js';

export async function explainUpdatesRoutes(app: FastifyInstance, d: { explain: ExplainService }) {
  app.post(
    '/api/explain-updates',
    {
      schema: {
        summary:
          "Ask the loaded model to explain the launcher's pending commits: text/event-stream of data: {type: start|reasoning|content|error|done}; 409 when nothing is pending or no model is loaded",
        tags: ['updates'],
      },
    },
    async (req, reply) => {
      const plan = d.explain.plan();
      const ac = new AbortController();
      const res = reply.raw;
      let complete = false;
      // Only a response closed before it finished means the client left.
      res.once('close', () => {
        if (!complete) ac.abort();
      });
      let opened;
      try {
        opened = await d.explain.open(plan, ac.signal);
      } catch (err) {
        if (ac.signal.aborted) return reply.hijack();
        throw err;
      }
      if (!opened.ok) {
        complete = true;
        return sendError(req, reply, {
          status: opened.status,
          code: 'UPSTREAM_ERROR',
          message: opened.message,
        });
      }
      if (ac.signal.aborted) {
        opened.upstream.abort(new Error('the client left'));
        return reply.hijack();
      }
      const channel = openSse(req, reply);
      channel.onClose(() => {
        if (!complete) ac.abort();
      });
      const send = (e: ExplainEvent) => channel.send(e);
      send({ type: 'start', model: plan.model, commits: plan.commits });
      await d.explain.relay(opened.upstream, send, ac.signal);
      complete = true;
      channel.close();
    },
  );
}
