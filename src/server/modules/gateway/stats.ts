// Per-client gateway counters (`GET /api/gateway/stats`): requests, errors, client aborts and
// latency percentiles over the most recent requests. Clients are the configured key names plus
// `anonymous`, so the map never grows with traffic, and no key ever appears here.
import type { ServerResponse } from 'node:http';
import type { GatewayClientStats, GatewayStatsResponse } from '../../../common/api.js';

/** A fixed-size ring of the latest latencies (ms); percentiles by nearest rank. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('window size must be a positive integer');
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
    this.filled = Math.min(this.filled + 1, this.size);
  }

  get count(): number {
    return this.filled;
  }

  /** `p` in (0, 100]; null while empty. */
  percentile(p: number): number | null {
    if (this.filled === 0) return null;
    const sorted = this.samples.slice(0, this.filled).sort();
    const rank = Math.min(this.filled, Math.max(1, Math.ceil((p / 100) * this.filled)));
    return sorted[rank - 1] ?? null;
  }
}

export interface RequestOutcome {
  /** The HTTP status the client got (200 for a stream that then carried an SSE error). */
  status: number;
  ms: number;
  /** The client went away before the response ended. */
  aborted: boolean;
  /** The response carried an error after its headers (an in-stream error, a broken stream). */
  failed: boolean;
}

/** What an observer (the metrics module) learns of a request as it starts; the rest it reads at the end. */
export interface GatewayRequestWatch {
  res: ServerResponse;
  /** The API key's name (or anonymous), never the key. */
  keyName: string;
  /** The route pattern matched (`/v1/models/*`), undefined when none did. */
  route: string | undefined;
  /** The body's model and stream flag, read when the request ends (the body is parsed by then). */
  request: () => { model: string | null; stream: boolean };
  /** The response carried an error after its headers. */
  failed: () => boolean;
}

export type GatewayObserver = (w: GatewayRequestWatch) => void;

export type ClientStats = GatewayClientStats;
export type { GatewayStatsResponse };

interface Entry {
  requests: number;
  errors: number;
  aborted: number;
  last: number | null;
  latency: LatencyWindow;
}

export class GatewayStats {
  private readonly entries = new Map<string, Entry>();
  private readonly since = new Date().toISOString();

  constructor(
    names: readonly string[],
    private readonly o: {
      keysRequired: boolean;
      windowSize?: number;
      now?: () => number;
      observer?: GatewayObserver;
    },
  ) {
    for (const n of names) this.entry(n);
  }

  /** Hands a starting request to the observer (metrics), if any; stats themselves come from record(). */
  watch(w: GatewayRequestWatch): void {
    this.o.observer?.(w);
  }

  record(name: string, r: RequestOutcome): void {
    const e = this.entry(name);
    e.requests += 1;
    if (r.aborted) e.aborted += 1;
    else if (r.failed || r.status >= 400) e.errors += 1;
    if (!r.aborted) e.latency.add(Math.round(r.ms * 10) / 10);
    e.last = this.o.now?.() ?? Date.now();
  }

  snapshot(): GatewayStatsResponse {
    return {
      keys_required: this.o.keysRequired,
      since: this.since,
      window_size: this.windowSize,
      clients: [...this.entries].map(([name, e]) => ({
        name,
        requests: e.requests,
        errors: e.errors,
        aborted: e.aborted,
        last_request_at: e.last === null ? null : new Date(e.last).toISOString(),
        latency_ms: { p50: e.latency.percentile(50), p95: e.latency.percentile(95), window: e.latency.count },
      })),
    };
  }

  private get windowSize(): number {
    return this.o.windowSize ?? 1000;
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { requests: 0, errors: 0, aborted: 0, last: null, latency: new LatencyWindow(this.windowSize) };
      this.entries.set(name, e);
    }
    return e;
  }
}
