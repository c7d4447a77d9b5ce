// The metrics registry and how gauges read the other modules' snapshots: at scrape time, from
// memory, never from a node (a scrape never waits on SSH or a probe). One registry per app, so
// apps built side by side (tests) never share series. A snapshot several gauges read (the services
// list, the hardware map) is taken once per scrape (`perScrape`), not once per gauge.
import { collectDefaultMetrics, Registry, type LabelValues } from 'prom-client';
import { BodyWriter, familyHeader, labelText, sampleLine, type Pieces } from './exposition.js';

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
  private readonly rendered: ((out: Pieces) => void)[] = [];
  /** The last body's size: the next one's buffer is sized from it. */
  private lastSize = 64 * 1024;
  private readonly gauges: { name: string; header: string; read: () => Iterable<Sample<string>> }[] = [];

  /**
   * Families rendered by their owner (exposition.ts), appended after the registry's: for series
   * kept outside prom-client because their text can be reused between scrapes. `render` pushes
   * its text onto `out` in pieces (one block per label combination, say), never joined.
   */
  text(render: (out: Pieces) => void): void {
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

  /** The exposition text (Prometheus text format 0.0.4) as one string (tests; the route sends body()). */
  async metrics(): Promise<string> {
    const pieces: string[] = [];
    await this.render(pieces);
    return pieces.join('');
  }

  /** The same text as a UTF-8 response body, written as it is rendered (BodyWriter). */
  async body(): Promise<Buffer> {
    const w = new BodyWriter(this.lastSize + (this.lastSize >> 3));
    await this.render(w);
    const body = w.finish();
    this.lastSize = body.length;
    return body;
  }

  /** The exposition in pieces, in order, onto `out`; joined they are the text. */
  private async render(out: Pieces): Promise<void> {
    this.generation++;
    // prom-client separates families with a blank line (and answers a lone one when it has none);
    // the other parts follow the same way. Two expositions with distinct names, each ending in a
    // line break, concatenate into one.
    let parts = 0;
    const part = () => void (parts++ > 0 && out.push('\n'));
    if (this.withProcessMetrics) {
      const text = await processRegistry().metrics();
      part();
      out.push(text);
    }
    const registry = await this.registry.metrics();
    if (/\S/.test(registry)) {
      part();
      out.push(registry);
    }
    if (this.gauges.length > 0) {
      part();
      this.renderGauges(out);
    }
    for (const render of this.rendered) {
      part();
      render(out);
    }
  }

  /** Every gauge's family, read now (the snapshots are in memory; nothing here waits). */
  private renderGauges(out: Pieces): void {
    let first = true;
    for (const g of this.gauges) {
      if (!first) out.push('\n');
      first = false;
      out.push(g.header);
      for (const [labels, value] of g.read())
        if (typeof value === 'number' && Number.isFinite(value))
          out.push(sampleLine(g.name, labelText(labels as Record<string, string>), value));
    }
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
