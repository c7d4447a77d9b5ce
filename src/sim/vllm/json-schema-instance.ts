// A small, valid instance of a JSON Schema: what the fake vLLM "generates" under guided decoding
// (response_format json_schema, tool-call arguments). Real vLLM constrains sampling with a grammar
// built from the schema (vllm/v1/structured_output, backends xgrammar/guidance), so whatever it
// returns parses and satisfies the schema; the fake only has to produce one such value, the same
// one every time. Handles objects (every listed property, required or not), arrays (minItems, at
// least one item), strings (enum, const, format, minLength), numbers and integers (bounds,
// multipleOf), booleans, null, type unions, anyOf/oneOf (first non-null branch), allOf (merged)
// and local $ref into $defs/definitions (recursion cut off at a fixed depth).
type Schema = Record<string, unknown>;

const MAX_DEPTH = 12;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local JSON pointer (`#/$defs/Name`, `#/definitions/Name`, `#`) against the root. */
function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return isObj(cur) ? cur : undefined;
}

function stringFor(s: Schema): string {
  const formats: Record<string, string> = {
    'date-time': '2025-01-01T00:00:00Z',
    date: '2025-01-01',
    time: '00:00:00',
    email: 'user@example.com',
    uri: 'https://example.com',
    url: 'https://example.com',
    uuid: '00000000-0000-4000-8000-000000000000',
    ipv4: '192.0.2.1',
    hostname: 'spark1.local',
  };
  let v = (typeof s.format === 'string' ? formats[s.format] : undefined) ?? 'example';
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  while (v.length < min) v += 'x';
  return v.length > max ? v.slice(0, Math.max(min, max)) : v;
}

/** The number closest to 0 inside the bounds (zod's int() bounds are ±MAX_SAFE_INTEGER). */
function numberFor(s: Schema, integer: boolean): number {
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  const gap = integer ? 1 : Math.min(1, exMin !== undefined && exMax !== undefined ? (exMax - exMin) / 2 : 1);
  const lo = Math.max(num(s.minimum) ?? -Infinity, exMin !== undefined ? exMin + gap : -Infinity);
  const hi = Math.min(num(s.maximum) ?? Infinity, exMax !== undefined ? exMax - gap : Infinity);
  let v = Math.min(Math.max(0, lo), hi);
  if (integer) v = v > 0 ? Math.ceil(v) : Math.floor(v) === v ? v : Math.ceil(v);
  const step = num(s.multipleOf);
  if (step !== undefined && step > 0) v = Math.ceil(v / step) * step;
  return v;
}

/** The type to build: the schema's own, the first non-null of a union, or guessed from keywords. */
function typeOf(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t): t is string => typeof t === 'string');
    return types.find((t) => t !== 'null') ?? types[0];
  }
  if (isObj(s.properties) || Array.isArray(s.required)) return 'object';
  if (s.items !== undefined || Array.isArray(s.prefixItems)) return 'array';
  return undefined;
}

function build(schema: unknown, root: Schema, depth: number): unknown {
  if (schema === true || schema === undefined) return {};
  if (!isObj(schema)) return null;
  if (depth > MAX_DEPTH) return null;
  const next = (s: unknown): unknown => build(s, root, depth + 1);

  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    const { $ref: _ref, ...rest } = schema;
    return target ? next({ ...target, ...rest }) : {};
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  }
  const branches = (Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const pick = branches.find((b) => !(isObj(b) && b.type === 'null')) ?? branches[0];
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return next(isObj(pick) ? { ...rest, ...pick } : pick);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const { allOf, ...rest } = schema;
    const merged: Schema = { ...rest };
    for (const part of allOf) {
      const p = isObj(part) && typeof part.$ref === 'string' ? (resolveRef(part.$ref, root) ?? {}) : part;
      if (!isObj(p)) continue;
      Object.assign(merged, { ...p, ...merged });
      if (isObj(p.properties)) merged.properties = { ...(merged.properties as Schema), ...p.properties };
      if (Array.isArray(p.required)) {
        merged.required = [...new Set([...((merged.required as string[]) ?? []), ...p.required])];
      }
    }
    return next(merged);
  }

  switch (typeOf(schema)) {
    case 'object': {
      const props = isObj(schema.properties) ? schema.properties : {};
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(props)) out[key] = next(sub);
      // A required name without a property schema still has to be present.
      for (const key of Array.isArray(schema.required) ? schema.required : []) {
        if (typeof key === 'string' && !(key in out)) out[key] = 'example';
      }
      return out;
    }
    case 'array': {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.map(next) : [];
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
      const want = Math.min(Math.max(min, prefix.length, 1), max);
      const items = isObj(schema.items) || schema.items === true ? schema.items : undefined;
      const out = prefix.slice(0, want);
      while (out.length < want) out.push(items === undefined ? 'example' : next(items));
      return out;
    }
    case 'string':
      return stringFor(schema);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** A deterministic value that validates against `schema` (a JSON Schema document). */
export function schemaInstance(schema: unknown): unknown {
  return build(schema, isObj(schema) ? schema : {}, 0);
}
