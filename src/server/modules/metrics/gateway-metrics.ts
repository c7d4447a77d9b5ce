// Gateway requests, errors, latency and time to first token, by route, model and API-key name
// (never the key). The gateway calls `watch` once when a request starts (routes.ts for Fastify's
// routes, fast-path.ts for the streamed ones); everything else happens here, on the response's own
// events. Label values are bounded (labels.ts): route patterns, known models, configured key names.
import type { ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';
import type { GatewayRequestWatch } from '../gateway/stats.js';
import { BoundedLabels, type ModelLabels, routeLabel } from './labels.js';
import { PREFIX, type Scrape } from './scrape.js';

type Labels = 'route' | 'model' | 'key_name';

// Few buckets on purpose: each one is a series per route × model × key (the bench's scrape cost is
// mostly these series), and these bounds still tell a quick answer from a slow one or a long stream.
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];
export const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

interface Children {
  requests: Counter.Internal;
  errors: Counter.Internal;
  aborted: Counter.Internal;
  duration: Histogram.Internal<Labels>;
  ttft: Histogram.Internal<Labels>;
}

/**
 * Calls `mark` at the response's first body write (`write` or `end`), then puts the methods back:
 * the relay's first chunk always goes through `res.write` (stream-relay.ts), later ones may not.
 */
export function onFirstWrite(res: ServerResponse, mark: () => void): void {
  const { write, end } = res;
  const first = () => {
    res.write = write;
    res.end = end;
    mark();
  };
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    first();
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    first();
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
}

export class GatewayMetrics {
  private readonly routes = new BoundedLabels(48);
  private readonly keys = new BoundedLabels(80);
  private readonly children = new Map<string, Children>();
  private readonly requests: Counter<Labels>;
  private readonly errors: Counter<Labels>;
  private readonly aborted: Counter<Labels>;
  private readonly duration: Histogram<Labels>;
  private readonly ttft: Histogram<Labels>;

  constructor(
    s: Scrape,
    private readonly models: ModelLabels,
    private readonly now: () => number = () => performance.now(),
  ) {
    const labelNames = ['route', 'model', 'key_name'] as const;
    const registers = [s.registry];
    this.requests = new Counter({
      name: `${PREFIX}gateway_requests_total`,
      help: 'Requests to the /v1 gateway, by route, model and API-key name (anonymous without keys)',
      labelNames,
      registers,
    });
    this.errors = new Counter({
      name: `${PREFIX}gateway_errors_total`,
      help: 'Gateway requests answered with a 4xx/5xx or broken after the headers (client aborts excluded)',
      labelNames,
      registers,
    });
    this.aborted = new Counter({
      name: `${PREFIX}gateway_aborted_total`,
      help: 'Gateway requests the client left before the answer ended',
      labelNames,
      registers,
    });
    this.duration = new Histogram({
      name: `${PREFIX}gateway_request_duration_seconds`,
      help: 'Gateway request latency, start to the end of the answer (client aborts excluded)',
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.ttft = new Histogram({
      name: `${PREFIX}gateway_time_to_first_token_seconds`,
      help: 'Streamed gateway requests: start to the first byte of the answer body (the first token)',
      labelNames,
      buckets: TTFT_BUCKETS,
      registers,
    });
  }

  /** The gateway's hook, called once per request as it starts. */
  readonly watch = (w: GatewayRequestWatch): void => {
    const started = this.now();
    let firstByte: number | null = null;
    onFirstWrite(w.res, () => {
      firstByte = this.now();
    });
    w.res.once('close', () => {
      try {
        this.record(w, started, firstByte);
      } catch {
        // Metrics are a side channel: they never break a response.
      }
    });
  };

  private record(w: GatewayRequestWatch, started: number, firstByte: number | null): void {
    const { model, stream } = w.request();
    const c = this.child(
      routeLabel(w.route, this.routes),
      this.models.label(model),
      this.keys.label(w.keyName),
    );
    const res = w.res;
    c.requests.inc();
    const aborted = !res.writableFinished;
    if (aborted) c.aborted.inc();
    else {
      if (w.failed() || res.statusCode >= 400) c.errors.inc();
      c.duration.observe((this.now() - started) / 1000);
    }
    if (stream && firstByte !== null && res.statusCode < 400) c.ttft.observe((firstByte - started) / 1000);
  }

  private child(route: string, model: string, key: string): Children {
    const id = `${route}\u0000${model}\u0000${key}`;
    let c = this.children.get(id);
    if (!c) {
      const labels = { route, model, key_name: key };
      // Every series of a new combination starts at 0, so error ratios and rates have both sides.
      for (const counter of [this.requests, this.errors, this.aborted]) counter.inc(labels, 0);
      this.duration.zero(labels);
      this.ttft.zero(labels);
      c = {
        requests: this.requests.labels(labels),
        errors: this.errors.labels(labels),
        aborted: this.aborted.labels(labels),
        duration: this.duration.labels(labels),
        ttft: this.ttft.labels(labels),
      };
      this.children.set(id, c);
    }
    return c;
  }
}
