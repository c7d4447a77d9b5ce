// The metrics registry and how gauges read the other modules' snapshots: at scrape time, from
// memory, never from a node (a scrape never waits on SSH or a probe). One registry per app, so
// apps built side by side (tests) never share series. A snapshot several gauges read (the services
// list, the hardware map) is taken once per scrape (`perScrape`), not once per gauge.
import { collectDefaultMetrics, Registry, type LabelValues } from 'prom-client';
import { familyHeader, labelText, sampleLine } from './exposition.js';

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
  private readonly gauges: { name: string; header: string; read: () => Iterable<Sample<string>> }[] = [];

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
    if (this.gauges.length > 0) parts.push(this.renderGauges());
    for (const render of this.rendered) parts.push(render());
    // Two expositions with distinct names, each ending in a line break, concatenate into one.
    if (this.withProcessMetrics) parts.unshift(await processRegistry().metrics());
    return parts.join('\n');
  }

  /** Every gauge's family, read now (the snapshots are in memory; nothing here waits). */
  private renderGauges(): string {
    const out: string[] = [];
    for (const g of this.gauges) {
      if (out.length > 0) out.push('\n');
      out.push(g.header);
      for (const [labels, value] of g.read())
        if (typeof value === 'number' && Number.isFinite(value))
          out.push(sampleLine(g.name, labelText(labels as Record<string, string>), value));
    }
    return out.join('');
  }

  constructor(private readonly withProcessMetrics = false) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * A gauge filled from a snapshot at each scrape: series that are gone (a removed node) vanish,
   * and a missing value (null) is left out rather than exported as a zero it is not. Rendered
   * straight to text (exposition.ts) rather than through a prom-client Gauge, whose reset, set
   * (a hash per label set) and formatting at every scrape cost ~1 ms of a scrape's CPU for the
   * bench's ~450 snapshot series; the text is the same. `labelNames` types the samples' labels.
   */
  gauge<L extends string>(
    name: string,
    help: string,
    _labelNames: readonly L[],
    read: () => Iterable<Sample<L>>,
  ): void {
    const full = PREFIX + name;
    if (this.registry.getSingleMetric(full) || this.gauges.some((g) => g.name === full))
      throw new Error(`the metric ${full} is defined twice`);
    this.gauges.push({ name: full, header: familyHeader(full, help, 'gauge'), read });
  }
}
