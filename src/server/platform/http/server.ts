// The Fastify instance with the input limits, our answers to errors raised before routing, and
// the validation split (bodies as sent, querystring and params coerced). buildApp adds the rest.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { VERSION } from '../../version.js';
import { answerClientError } from './client-error.js';
import { answerFrameworkError } from './error-handler.js';
import { serverTimeouts, type InputLimits } from './limits.js';
import { strictBodyValidation } from './validation.js';

export function createServer(o: { logger?: FastifyBaseLogger; limits: InputLimits }): FastifyInstance {
  return Fastify({
    ...(o.logger ? { loggerInstance: o.logger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    // Header, keep-alive and whole-request timeouts; why each value: platform/http/limits.ts.
    ...serverTimeouts(o.limits),
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // Coercion applies to querystring, params and headers only; bodies are validated as sent.
    schemaController: strictBodyValidation(),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
  });
}

/** The OpenAPI document (from the route schemas), and its page at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Spark Control API',
        version: VERSION,
        description: 'Control plane for NVIDIA DGX Spark clusters',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
