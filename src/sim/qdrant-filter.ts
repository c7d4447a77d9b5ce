// The subset of Qdrant's payload filter the fake Qdrant understands: `must` / `should` /
// `must_not` (nested filters too), field conditions with `match.value`, `match.any` and `range`.
// Anything else is refused the way Qdrant's JSON deserializer refuses a shape it cannot read
// (400 "Format error in JSON body: …"), so a client meets the same failure it would in production.

export type Payload = Record<string, unknown>;
export type Predicate = (payload: Payload) => boolean;

export class FilterFormatError extends Error {}

const CONDITION_HINT =
  'Expected some form of condition, which can be a field condition (like {"key": ..., "match": ... }), ' +
  'or some other mentioned in the documentation: https://qdrant.tech/documentation/concepts/filtering/#filtering-conditions';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FILTER_KEYS = ['should', 'min_should', 'must', 'must_not'];

/** Compiles a Qdrant filter object into a predicate, or throws FilterFormatError. */
export function compileFilter(filter: unknown): Predicate {
  if (filter === null || filter === undefined) return () => true;
  if (!isObj(filter)) throw new FilterFormatError('invalid type: expected struct Filter');
  for (const key of Object.keys(filter)) {
    if (key === 'min_should') throw new FilterFormatError('`min_should` is not supported by the simulator');
    if (!FILTER_KEYS.includes(key)) {
      throw new FilterFormatError(
        `unknown field \`${key}\`, expected one of ${FILTER_KEYS.map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
  const list = (v: unknown): Predicate[] => {
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(compileCondition);
  };
  const must = list(filter.must);
  const should = list(filter.should);
  const mustNot = list(filter.must_not);
  return (p) =>
    must.every((c) => c(p)) &&
    (should.length === 0 || should.some((c) => c(p))) &&
    !mustNot.some((c) => c(p));
}

function compileCondition(cond: unknown): Predicate {
  if (!isObj(cond)) throw new FilterFormatError(CONDITION_HINT);
  if (FILTER_KEYS.some((k) => k in cond) && !('key' in cond)) return compileFilter(cond);
  if (typeof cond.key !== 'string' || cond.key === '') throw new FilterFormatError(CONDITION_HINT);
  const key = cond.key;
  const extra = Object.keys(cond).filter((k) => k !== 'key' && k !== 'match' && k !== 'range');
  if (extra.length > 0 || 'match' in cond === 'range' in cond) throw new FilterFormatError(CONDITION_HINT);
  const test = 'match' in cond ? compileMatch(cond.match) : compileRange(cond.range);
  return (p) => valuesAt(p, key).some(test);
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function compileMatch(match: unknown): (v: unknown) => boolean {
  if (isObj(match) && Object.keys(match).length === 1) {
    if ('value' in match && isScalar(match.value)) {
      const want = match.value;
      return (v) => v === want;
    }
    if ('any' in match && Array.isArray(match.any) && match.any.every(isScalar)) {
      const set = new Set<unknown>(match.any);
      return (v) => set.has(v);
    }
  }
  throw new FilterFormatError(CONDITION_HINT);
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

function compileRange(range: unknown): (v: unknown) => boolean {
  if (!isObj(range)) throw new FilterFormatError(CONDITION_HINT);
  const bounds: Partial<Record<(typeof RANGE_KEYS)[number], number>> = {};
  for (const [k, v] of Object.entries(range)) {
    if (!(RANGE_KEYS as readonly string[]).includes(k)) throw new FilterFormatError(CONDITION_HINT);
    if (v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FilterFormatError(`invalid type: ${JSON.stringify(v)}, expected f64`);
    }
    bounds[k as (typeof RANGE_KEYS)[number]] = v;
  }
  const { gt, gte, lt, lte } = bounds;
  return (v) =>
    typeof v === 'number' &&
    (gt === undefined || v > gt) &&
    (gte === undefined || v >= gte) &&
    (lt === undefined || v < lt) &&
    (lte === undefined || v <= lte);
}

/** The values a dotted key reaches (`a.b`), arrays flattened as Qdrant does for matching. */
export function valuesAt(payload: Payload, key: string): unknown[] {
  let current: unknown[] = [payload];
  for (const part of key.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (isObj(c) && part in c) next.push(c[part]);
    }
    current = next.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
  }
  return current;
}
