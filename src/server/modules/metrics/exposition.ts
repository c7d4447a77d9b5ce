// Prometheus' text format (0.0.4) for the series we keep ourselves: the gateway's counters and
// histograms change only when a request ends, so each label combination's lines are rendered then
// (once per change, at the next scrape) and reused while nothing changes, instead of prom-client
// building an object per bucket and formatting every line at every scrape (the bench's profile:
// most of a scrape's CPU and garbage). Same output prom-client writes: `# HELP`, `# TYPE`, samples.
// A scrape is a list of pieces (lines, cached blocks) encoded once into the response body
// (utf8Body), never joined into one string: see there why.

const NEEDS_ESCAPE = /[\\"\n]/;

/** A label value as the text format wants it: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  // Most values need nothing: tested first, so they are returned as they are.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `a="x",b="y"` in the given order (the part between the braces). */
export function labelText(labels: Readonly<Record<string, string>>): string {
  // A plain loop: Object.entries + map + join made three arrays per sample at every scrape.
  let out = '';
  for (const k in labels) out += `${out ? ',' : ''}${k}="${escapeLabelValue(labels[k]!)}"`;
  return out;
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
    this.le = leTexts(bounds);
  }

  /** `le="0.1"`… per bound, formatted once per bounds list. */
  private readonly le: readonly string[];

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
      out.push(`${name}_bucket{${this.le[i]!}${rest}} ${cumulative}\n`);
    }
    out.push(`${name}_bucket{le="+Inf"${rest}} ${this.count}\n`);
    out.push(sampleLine(`${name}_sum`, labels, this.sum), sampleLine(`${name}_count`, labels, this.count));
    // join() answers one flat string; `+=` would leave a rope every later copy has to walk.
    return out.join('');
  }
}

const leCache = new WeakMap<readonly number[], readonly string[]>();
function leTexts(bounds: readonly number[]): readonly string[] {
  let le = leCache.get(bounds);
  if (!le) leCache.set(bounds, (le = bounds.map((b) => `le="${numberText(b)}"`)));
  return le;
}

/** Where a scrape's pieces go: an array (joined into one string for tests) or a BodyWriter. */
export interface Pieces {
  push(piece: string): unknown;
}

/**
 * The pieces written straight into one UTF-8 buffer as they come, never joined into a string of the
 * whole text: V8 puts a string over ~128 KiB in its large-object space, on pages of its own mapped
 * and unmapped per string (strace: an mmap and two munmaps each, and fresh pages faulted in) — the
 * bench's 179 KiB exposition joined into one string cost ~1.4 ms a scrape that way; joining pieces
 * into smaller groups first still left ~290 KB of garbage per scrape (the groups, then their
 * encoding), and a scrape's garbage is what brings the collector's pauses into its latency.
 */
export class BodyWriter implements Pieces {
  private buf: Buffer;
  private at = 0;
  /** A high surrogate that ended the last piece: written with the next, whose first unit may be its other half. */
  private held = '';

  /** `sizeHint`: the bytes expected (the last body's size); the buffer grows when it is short. */
  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, sizeHint));
  }

  /** One piece at a time: a rest parameter would be an array per call, and calls are per line. */
  push(piece: string): void {
    let p = this.held ? this.held + piece : piece;
    this.held = '';
    const last = p.length > 0 ? p.charCodeAt(p.length - 1) : 0;
    if (last >= 0xd800 && last <= 0xdbff) {
      this.held = p.slice(-1);
      p = p.slice(0, -1);
    }
    if (p.length > 0) this.encode(p);
  }

  /** The body; the writer is done with. */
  finish(): Buffer {
    if (this.held) this.encode(this.held);
    this.held = '';
    return this.buf.subarray(0, this.at);
  }

  private encode(p: string): void {
    // At most three bytes per UTF-16 unit: `write` never cuts a character for want of room.
    const room = p.length * 3;
    if (this.at + room > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + room));
      this.buf.copy(next, 0, 0, this.at);
      this.buf = next;
    }
    this.at += this.buf.write(p, this.at, 'utf8');
  }
}
