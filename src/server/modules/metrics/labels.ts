// Label values for /metrics, kept bounded: a label whose values came from traffic (a model a client
// named, a route) would otherwise grow a new time series per distinct value — the classic way to
// take a Prometheus server down. Every label here comes from a fixed list, the config, or a
// first-come set with a cap; what does not fit is `other`.

export const OTHER = 'other';

/** The first `max` distinct values keep their name; later ones are `other` (never evicted: series stay stable). */
export class BoundedLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/** A route pattern as the router matched it; a raw URL or anything odd is refused. */
const ROUTE = /^\/[A-Za-z0-9_./*-]{0,100}$/;

/** `unmatched` when no route matched (a 404), `other` for a pattern that does not look like one. */
export function routeLabel(route: string | null | undefined, bound: BoundedLabels): string {
  if (route === null || route === undefined || route === '') return 'unmatched';
  return ROUTE.test(route) ? bound.label(route) : OTHER;
}

/**
 * A model the gateway knows (the catalog's served names, the loaded model, a speech service's)
 * keeps its name; one it does not is `other`; a request without a model is `none`. The answer is
 * cached for `ttlMs` (the catalog lookup is too slow for every request); the cache is bounded.
 */
export class ModelLabels {
  private readonly cache = new Map<string, { label: string; at: number }>();
  private readonly bound: BoundedLabels;

  constructor(
    private readonly known: (model: string) => boolean,
    private readonly o: { ttlMs?: number; max?: number; now?: () => number } = {},
  ) {
    this.bound = new BoundedLabels(o.max ?? 64);
  }

  label(model: string | null): string {
    if (model === null || model === '') return 'none';
    const now = this.o.now?.() ?? Date.now();
    const hit = this.cache.get(model);
    if (hit && now - hit.at < (this.o.ttlMs ?? 60_000)) return hit.label;
    let known = false;
    try {
      known = model.length <= 256 && this.known(model);
    } catch {
      // A catalog that cannot answer now: the request is still counted, as `other`.
    }
    const label = known ? this.bound.label(model) : OTHER;
    if (this.cache.size >= 1024) this.cache.clear();
    this.cache.set(model, { label, at: now });
    return label;
  }
}

/** Enum-style series (one per possible state, 1 for the current one), as kube-state-metrics does. */
export function stateSeries<S extends string>(states: readonly S[], current: S | null): [S, 0 | 1][] {
  return states.map((s) => [s, s === current ? 1 : 0]);
}

/** A percentage as a 0–1 ratio; null stays null (no sample is not a zero). */
export const ratio = (pct: number | null | undefined): number | null =>
  pct === null || pct === undefined || !Number.isFinite(pct) ? null : pct / 100;

/** Seconds from an ISO time; null when absent or unparsable. */
export function epochSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms / 1000 : null;
}
