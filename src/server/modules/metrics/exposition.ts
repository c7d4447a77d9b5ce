// Prometheus' text format (0.0.4) for the series we keep ourselves: the gateway's counters and
// histograms change only when a request ends, so each label combination's lines are rendered then
// (once per change, at the next scrape) and reused while nothing changes, instead of prom-client
// building an object per bucket and formatting every line at every scrape (the bench's profile:
// most of a scrape's CPU and garbage). Same output prom-client writes: `# HELP`, `# TYPE`, samples.

/** A label value as the text format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `a="x",b="y"` in the given order (the part between the braces). */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
}

/** A sample value as prom-client writes it (Go's `NaN`, `+Inf`, `-Inf` for the special ones). */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** The two comment lines that open a family (help text escaped as the format wants). */
export function familyHeader(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `# HELP ${name} ${escaped}\n# TYPE ${name} ${type}\n`;
}

/** One sample line; `labels` is a labelText() result ('' for none). */
export const sampleLine = (name: string, labels: string, value: number): string =>
  `${name}${labels ? `{${labels}}` : ''} ${numberText(value)}\n`;

/** A histogram's state for one label combination: per-bucket (not cumulative) counts, sum, count. */
export class HistogramCell {
  private readonly counts: number[];
  sum = 0;
  count = 0;

  /** `bounds` ascending upper bounds, without +Inf (it is implied, as in prom-client). */
  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  /** `_bucket` lines (cumulative, `le` first among the labels as prom-client has it, then +Inf), `_sum`, `_count`. */
  lines(name: string, labels: string): string {
    const rest = labels ? `,${labels}` : '';
    const out: string[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push(`${name}_bucket{le="${numberText(this.bounds[i]!)}"${rest}} ${cumulative}\n`);
    }
    out.push(`${name}_bucket{le="+Inf"${rest}} ${this.count}\n`);
    out.push(sampleLine(`${name}_sum`, labels, this.sum), sampleLine(`${name}_count`, labels, this.count));
    // join() answers one flat string; `+=` would leave a rope every later copy has to walk.
    return out.join('');
  }
}
