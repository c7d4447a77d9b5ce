// Hostile requests generated from the OpenAPI document: every documented route, with path and
// query values, bodies and content types chosen to break parsers, validators and handlers.
// Seeded (fast-check), so a failing case is reproduced by its seed and index.
import fc from 'fast-check';

export interface RouteSpec {
  method: string;
  /** OpenAPI path template, `/api/jobs/{id}`. */
  path: string;
  params: { name: string; in: 'path' | 'query' }[];
  /** Top-level property names and JSON types of a JSON request body, when it has one. */
  body: { props: Record<string, string | undefined> } | null;
}

export interface FuzzRequest {
  route: RouteSpec;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOp>>;
}
interface OpenApiOp {
  parameters?: { name: string; in: string }[];
  requestBody?: {
    content?: Record<string, { schema?: { properties?: Record<string, { type?: unknown }> } }>;
  };
}

export function routesOf(doc: OpenApiDoc): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({ name: p.name, in: p.in as 'path' | 'query' }));
      for (const m of path.matchAll(/\{([^}]+)\}/g)) {
        if (!params.some((p) => p.name === m[1])) params.push({ name: m[1]!, in: 'path' });
      }
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const props = Object.fromEntries(
        Object.entries(schema?.properties ?? {}).map(([k, v]) => [
          k,
          typeof v.type === 'string' ? v.type : undefined,
        ]),
      );
      out.push({ method: method.toUpperCase(), path, params, body: schema ? { props } : null });
    }
  }
  return out;
}

const NASTY = [
  '',
  ' ',
  '.',
  '..',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '\u0085',
  '\u009b',
  '\u202e',
  '\ufeff',
  '$(touch /tmp/x)',
  '`id`',
  "';--",
  '"',
  '\\',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '-0',
  'NaN',
  '🚀',
  'é',
  '//',
  '?',
  '#',
  '&',
  '=',
  '--help',
  'spark1',
  'qwen3-30b-a3b',
  'x'.repeat(300),
  'y'.repeat(5000),
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 5e-324, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 65536, 2 ** 31),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

const scalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor')), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;

/** A value of the declared JSON type, mostly hostile; sometimes another type entirely. */
function valueFor(type: string | undefined): fc.Arbitrary<unknown> {
  const typed: Record<string, fc.Arbitrary<unknown>> = {
    string: hostileString,
    number: hostileNumber,
    integer: hostileNumber,
    boolean: fc.boolean(),
    array: fc.array(fc.oneof(hostileString, scalar), { maxLength: 80 }),
    object: fc.dictionary(hostileString, scalar, { maxKeys: 5 }),
  };
  const t = type ? typed[type] : undefined;
  return t ? fc.oneof({ weight: 3, arbitrary: t }, { weight: 1, arbitrary: anyJson }) : anyJson;
}

/**
 * Valid bodies for routes whose handlers (and upstreams) only run on mostly-valid input; the
 * fuzzer overrides one or two of their fields with hostile values, so requests get past the
 * schema and into handlers, shell commands and upstream relays.
 */
export type BaseBodies = Record<string, Record<string, unknown>>;

function bodyFor(route: RouteSpec, bases: BaseBodies): fc.Arbitrary<unknown> {
  const props = route.body?.props ?? {};
  const keys = Object.keys(props);
  const shaped = fc.record(Object.fromEntries(keys.map((k) => [k, valueFor(props[k])])), {
    requiredKeys: [],
  });
  const base = bases[`${route.method} ${route.path}`];
  if (!base) return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
  const fields = [...new Set([...Object.keys(base), ...keys, 'stream', 'max_tokens', 'n'])];
  const nearlyValid = fc
    .array(fc.tuple(fc.constantFrom(...fields), fc.oneof(anyJson, valueFor(props[fields[0]!]))), {
      minLength: 1,
      maxLength: 2,
    })
    .map((overrides) => ({ ...base, ...Object.fromEntries(overrides) }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(base) },
    { weight: 5, arbitrary: nearlyValid },
    { weight: 2, arbitrary: shaped },
    { weight: 1, arbitrary: anyJson },
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'garbage',
];

/** Encodes a path or query value, or (sometimes) leaves broken percent-escapes in place. */
const encoded = fc.tuple(hostileString, fc.nat(9)).map(([s, mode]) => {
  if (mode === 0) return '%E0%A4%A';
  if (mode === 1) return '%ZZ' + encodeURIComponent(s);
  if (mode === 2) return encodeURIComponent(s).replaceAll('%2F', '/');
  return encodeURIComponent(s);
});

function requestFor(route: RouteSpec, bases: BaseBodies): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.array(encoded, {
    minLength: route.params.length,
    maxLength: route.params.length,
  });
  const extraQuery = fc.option(fc.tuple(encoded, encoded), { nil: undefined });
  const bodyKind = fc.oneof(
    { weight: 12, arbitrary: fc.constant('json') },
    { weight: 1, arbitrary: fc.constantFrom('invalid', 'empty', 'none', 'huge') },
  );
  return fc
    .record({
      values: pathValues,
      extraQuery,
      dupQuery: fc.boolean(),
      bodyKind,
      body: bodyFor(route, bases),
      contentType: fc.oneof(
        { weight: 5, arbitrary: fc.constant('application/json') },
        { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), {
        freq: 12,
        nil: undefined,
      }),
    })
    .map((r) => {
      let path = route.path;
      const query: string[] = [];
      route.params.forEach((p, i) => {
        const v = r.values[i]!;
        if (p.in === 'path') path = path.replace(`{${p.name}}`, v === '' ? 'x' : v);
        else {
          query.push(`${p.name}=${v}`);
          if (r.dupQuery) query.push(`${p.name}=${v}`);
        }
      });
      if (r.extraQuery) query.push(`${r.extraQuery[0]}=${r.extraQuery[1]}`);
      const method = r.otherMethod ?? route.method;
      const canHaveBody = method !== 'GET';
      let body: string | undefined;
      if (canHaveBody) {
        if (r.bodyKind === 'json') body = JSON.stringify(r.body) ?? 'null';
        else if (r.bodyKind === 'invalid') body = '{"a":';
        else if (r.bodyKind === 'empty') body = '';
        else if (r.bodyKind === 'huge') body = JSON.stringify({ blob: 'z'.repeat(2 * 1024 * 1024) });
      }
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = r.contentType;
      return {
        route,
        method,
        url: path + (query.length ? `?${query.join('&')}` : ''),
        headers,
        body,
      };
    });
}

/** `count` requests spread over every route, reproducible from `seed`. */
export function fuzzRequests(
  routes: RouteSpec[],
  count: number,
  seed: number,
  bases: BaseBodies = {},
): FuzzRequest[] {
  const arb = fc.constantFrom(...routes).chain((r) => requestFor(r, bases));
  return fc.sample(arb, { seed, numRuns: count });
}
