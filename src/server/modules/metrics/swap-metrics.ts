// Swaps by model and outcome, from the swap module's `swap` events on the bus: each swap is counted
// once, when it reaches a final state (ready, failed or cancelled). Counters start at zero with the
// process, as Prometheus expects (rate() and increase() handle resets).
import type { SwapInfo } from '../../../common/api.js';
import { Counter, Histogram } from 'prom-client';
import { BoundedLabels } from './labels.js';
import { PREFIX, type Scrape } from './scrape.js';

const FINAL = new Set(['ready', 'failed', 'cancelled']);
/** Swaps take from seconds (a small model, warm cache) to most of an hour (a first cluster load). */
export const SWAP_BUCKETS = [5, 15, 30, 60, 120, 180, 300, 450, 600, 900, 1200, 1800, 3600];

export class SwapMetrics {
  private readonly counted = new Set<string>();
  private readonly models = new BoundedLabels(64);
  private readonly total: Counter<'model' | 'outcome'>;
  private readonly duration: Histogram<'model' | 'outcome'>;

  constructor(s: Scrape) {
    this.total = new Counter({
      name: `${PREFIX}swaps_total`,
      help: 'Model swaps that ended, by served model and outcome (ready, failed, cancelled)',
      labelNames: ['model', 'outcome'],
      registers: [s.registry],
    });
    this.duration = new Histogram({
      name: `${PREFIX}swap_duration_seconds`,
      help: 'How long model swaps took from start to their final state',
      labelNames: ['model', 'outcome'],
      buckets: SWAP_BUCKETS,
      registers: [s.registry],
    });
  }

  onSwap(info: SwapInfo): void {
    if (!FINAL.has(info.state) || this.counted.has(info.id)) return;
    this.counted.add(info.id);
    // The oldest ids go: a swap is published final a few times at most, within seconds.
    if (this.counted.size > 256) this.counted.delete(this.counted.values().next().value as string);
    const labels = { model: this.models.label(info.model), outcome: info.state };
    this.total.inc(labels);
    if (Number.isFinite(info.elapsed_s)) this.duration.observe(labels, info.elapsed_s);
  }
}
