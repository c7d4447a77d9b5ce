// Gateway requests, errors, latency and time to first token, by route, model and API-key name
// (never the key). The gateway calls `watch` once when a request starts (routes.ts for Fastify's
// routes, fast-path.ts for the streamed ones); everything else happens here, on the response's own
// events. Label values are bounded (labels.ts): route patterns, known models, configured key names.
import type { ServerResponse } from 'node:http';
import type { GatewayRequestWatch } from '../gateway/stats.js';
import { familyHeader, HistogramCell, labelText, sampleLine, type Pieces } from './exposition.js';
import { BoundedLabels, type ModelLabels, routeLabel } from './labels.js';
import { PREFIX, type Scrape } from './scrape.js';

// Few buckets on purpose: each one is a series per route × model × key. Latency runs from a
// model list or a quick 4xx (under 0.1 s) to a long generation (minutes); the first token of a
// stream from 0.1 s (a warm prefix) to seconds (a long prompt's prefill, a queue).
export const LATENCY_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 15, 60, 300];
export const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 15];

/** The five families, in exposition order. */
const FAMILIES = [
  [
    `${PREFIX}gateway_requests_total`,
    'Requests to the /v1 gateway, by route, model and API-key name (anonymous without keys)',
    'counter',
  ],
  [
    `${PREFIX}gateway_errors_total`,
    'Gateway requests answered with a 4xx/5xx or broken after the headers (client aborts excluded)',
    'counter',
  ],
  [`${PREFIX}gateway_aborted_total`, 'Gateway requests the client left before the answer ended', 'counter'],
  [
    `${PREFIX}gateway_request_duration_seconds`,
    'Gateway request latency, start to the end of the answer (client aborts excluded)',
    'histogram',
  ],
  [
    `${PREFIX}gateway_time_to_first_token_seconds`,
    'Streamed gateway requests: start to the first byte of the answer body (the first token)',
    'histogram',
  ],
] as const;
const HEADERS = FAMILIES.map(([name, help, type]) => familyHeader(name, help, type));

/** One route × model × key combination: its values, and its lines per family while unchanged. */
class Combination {
  requests = 0;
  errors = 0;
  aborted = 0;
  readonly duration = new HistogramCell(LATENCY_BUCKETS);
  readonly ttft = new HistogramCell(TTFT_BUCKETS);
  /** null after a change: rendered again at the next scrape. */
  text: string[] | null = null;

  constructor(readonly labels: string) {}

  render(): string[] {
    this.text ??= [
      sampleLine(FAMILIES[0][0], this.labels, this.requests),
      sampleLine(FAMILIES[1][0], this.labels, this.errors),
      sampleLine(FAMILIES[2][0], this.labels, this.aborted),
      this.duration.lines(FAMILIES[3][0], this.labels),
      this.ttft.lines(FAMILIES[4][0], this.labels),
    ];
    return this.text;
  }
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
  private readonly combinations = new Map<string, Combination>();

  constructor(
    s: Scrape,
    private readonly models: ModelLabels,
    private readonly now: () => number = () => performance.now(),
  ) {
    s.text((out) => this.render(out));
  }

  /**
   * Every combination seen, each starting at 0 (so error ratios and rates have both sides): each
   * combination's cached block per family, pushed as it is (Scrape encodes the pieces once).
   */
  render(out: Pieces): void {
    const all: string[][] = [];
    for (const c of this.combinations.values()) all.push(c.render());
    HEADERS.forEach((header, f) => {
      if (f > 0) out.push('\n');
      out.push(header);
      for (const lines of all) out.push(lines[f]!);
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
    const c = this.combination(
      routeLabel(w.route, this.routes),
      this.models.label(model),
      this.keys.label(w.keyName),
    );
    const res = w.res;
    c.requests++;
    const aborted = !res.writableFinished;
    if (aborted) c.aborted++;
    else {
      if (w.failed() || res.statusCode >= 400) c.errors++;
      c.duration.observe((this.now() - started) / 1000);
    }
    if (stream && firstByte !== null && res.statusCode < 400) c.ttft.observe((firstByte - started) / 1000);
    c.text = null;
  }

  private combination(route: string, model: string, key: string): Combination {
    const id = `${route}\u0000${model}\u0000${key}`;
    let c = this.combinations.get(id);
    if (!c) {
      c = new Combination(labelText({ route, model, key_name: key }));
      this.combinations.set(id, c);
    }
    return c;
  }
}
