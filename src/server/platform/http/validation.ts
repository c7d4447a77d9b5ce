// Request validation with Fastify's own Ajv compiler, in two flavours: querystring, params and
// headers are strings on the wire, so they keep `coerceTypes` ("?limit=5" is the number 5); a
// JSON body already has types, so it is validated as sent — `{"key": false}` is a boolean, not the
// string "false", and gets a 400.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type RouteSchema = { schema: unknown; method: string; url: string; httpPart?: string };
type Validator = (route: RouteSchema) => unknown;
type ValidatorBuilder = (externalSchemas: unknown, ajvOptions: AjvServerOptions) => Validator;
interface AjvServerOptions {
  customOptions?: Record<string, unknown>;
  [k: string]: unknown;
}

// The compiler Fastify itself uses (its own dependency, resolved from Fastify's location), so
// behaviour — formats, defaults, error messages — stays exactly Fastify's.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const AjvCompiler = fromFastify('@fastify/ajv-compiler') as () => ValidatorBuilder;

/** `schemaController` for the Fastify constructor: bodies are validated without type coercion. */
export function strictBodyValidation(): NonNullable<FastifyServerOptions['schemaController']> {
  const pool = AjvCompiler();
  const buildValidator: ValidatorBuilder = (externalSchemas, ajvOptions) => {
    const coercing = pool(externalSchemas, ajvOptions);
    const strict = pool(externalSchemas, {
      ...ajvOptions,
      customOptions: { ...ajvOptions.customOptions, coerceTypes: false },
    });
    return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
  };
  return { compilersFactory: { buildValidator } } as NonNullable<FastifyServerOptions['schemaController']>;
}
