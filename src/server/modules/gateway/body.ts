// JSON bodies for the relayed routes: the bytes are kept exactly as they arrived (they go to vLLM
// unchanged) and parsed once, so route validation and the handler can read `stream` and `model`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';

const raws = new WeakMap<FastifyRequest, Buffer>();

/** The request's body bytes as received; only set for bodies the gateway's parser accepted. */
export function rawBody(req: FastifyRequest): Buffer | undefined {
  return raws.get(req);
}

/** What the gateway reads from a request body; everything else is vLLM's business. */
export function peekRequest(body: unknown): { model: string | null; stream: boolean } {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return { model: typeof b.model === 'string' ? b.model : null, stream: b.stream === true };
}

/** Parses JSON once; a body that is not JSON is refused here, before any upstream call. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
}

/** Replaces the scope's JSON parser (only inside the plugin that calls it). */
export function keepRawJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    try {
      const parsed = parseJson(raw);
      raws.set(req, raw);
      done(null, parsed);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
