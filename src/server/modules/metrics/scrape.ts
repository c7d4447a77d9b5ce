// The metrics registry and how gauges read the other modules' snapshots: at scrape time, from
// memory, never from a node (a scrape never waits on SSH or a probe). One registry per app, so
// apps built side by side (tests) never share series. A snapshot several gauges read (the services
// list, the hardware map) is taken once per scrape (`perScrape`), not once per gauge.
import { collectDefaultMetrics, Gauge, Registry, type LabelValues } from 'prom-client';

/** Our metrics' prefix; Node's default process metrics keep their standard names. */
export const PREFIX = 'spark_control_';

/**
 * Node's default process metrics, once per process: they describe the process, not an app, and
 * each collectDefaultMetrics() call starts its own event-loop monitor and GC observer that are
 * never stopped (tests build many apps in one process).
 */
let processMetrics: Registry | null = null;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export type Sample<L extends string> = [labels: LabelValues<L>, value: number | null | undefined];

export class Scrape {
  readonly registry = new Registry();
  private generation = 0;
  private readonly rendered: (() => string)[] = [];

  /**
   * Families rendered by their owner (exposition.ts), appended after the registry's: for series
   * kept outside prom-client because their text can be reused between scrapes.
   */
  text(render: () => string): void {
    this.rendered.push(render);
  }

  /** `fn` is called at most once per scrape; every gauge of that scrape sees the same value. */
  perScrape<T>(fn: () => T): () => T {
    let at = -1;
    let value: T;
    return () => {
      if (at !== this.generation) {
        value = fn();
        at = this.generation;
      }
      return value;
    };
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  async metrics(): Promise<string> {
    this.generation++;
    const registry = await this.registry.metrics();
    // prom-client separates families with a blank line (and answers a lone one when it has none);
    // the rendered families follow the same way.
    const parts = registry.trim() === '' ? [] : [registry];
    for (const render of this.rendered) parts.push(render());
    const own = parts.join('\n');
    if (!this.withProcessMetrics) return own;
    // Two expositions with distinct names, each ending in a line break, concatenate into one.
    return `${await processRegistry().metrics()}\n${own}`;
  }

  constructor(private readonly withProcessMetrics = false) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * A gauge filled from a snapshot at each scrape: series that are gone (a removed node) vanish,
   * and a missing value (null) is left out rather than exported as a zero it is not.
   */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Iterable<Sample<L>>,
  ): Gauge<L> {
    return new Gauge<L>({
      name: PREFIX + name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) {
          if (typeof value === 'number' && Number.isFinite(value)) this.set(labels, value);
        }
      },
    });
  }
}
