// `hf download` output → bytes/total per node. The CLI (huggingface_hub's tqdm bars, printed on
// stderr also without a terminal, redrawn with `\r`) draws one bar per file being fetched:
//   `model-00001-of-00004.safetensors:  12%|█▏        | 598M/4.97G [00:05<00:36, 119MB/s]`
// with unit `B` appended by newer versions (`598MB/4.97GB`). Sizes have 3 significant digits and
// SI prefixes (tqdm's format_sizeof, divisor 1000). A repo's byte count is the sum of its files'
// latest bars; the `Fetching N files` bar counts files, not bytes, and is only remembered. Files
// already complete in the cache are skipped by the CLI, so "total" is what this run fetches.

const PREFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** tqdm's `598M`, `4.97GB`, `239`, `12.3kB` → bytes; null when it is not a size. */
export function parseTqdmSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kKMGTP]?)(?:i?B)?$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * (PREFIX[m[2] ?? ''] ?? 1));
}

export interface FileBar {
  file: string;
  done: number;
  total: number;
}

export type ParsedLine =
  | { kind: 'file'; bar: FileBar }
  | { kind: 'files'; done: number; total: number }
  | { kind: 'other'; text: string };

// desc: pct%|bar| n/total [elapsed<remaining, rate]  (the bracket part may be cut or absent)
const BAR = /^(.*?):\s+(\d{1,3})%\|[^|]*\|\s*([\d.]+\s*[kKMGTP]?i?B?)\/([\d.]+\s*[kKMGTP]?i?B?)(?:\s*\[.*)?$/;
const FILES = /^Fetching (\d+) files?:/;

export function parseLine(raw: string): ParsedLine {
  // eslint-disable-next-line no-control-regex -- a terminal's escapes are exactly what this strips
  const line = raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').trim();
  const m = BAR.exec(line);
  if (m) {
    const done = parseTqdmSize(m[3] ?? '');
    const total = parseTqdmSize(m[4] ?? '');
    const desc = (m[1] ?? '').trim();
    const files = FILES.exec(`${desc}:`);
    if (done !== null && total !== null) {
      if (files) return { kind: 'files', done, total };
      return { kind: 'file', bar: { file: desc, done: Math.min(done, total), total } };
    }
  }
  return { kind: 'other', text: line };
}

/** Sums the files' latest bars into the repo's bytes and total. */
export class RepoProgress {
  private readonly files = new Map<string, FileBar>();
  filesDone = 0;
  filesTotal: number | null = null;

  /** Feeds one line; returns what it was, so the caller can log the lines that are not bars. */
  feed(line: string): ParsedLine {
    const p = parseLine(line);
    if (p.kind === 'file') this.files.set(p.bar.file, p.bar);
    else if (p.kind === 'files') {
      this.filesDone = p.done;
      this.filesTotal = p.total;
    }
    return p;
  }

  bytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.done;
    return n;
  }

  /** null until a bar with a size was seen. */
  total(): number | null {
    if (this.files.size === 0) return null;
    let n = 0;
    for (const f of this.files.values()) n += f.total;
    return n;
  }
}

/**
 * Transfer rate over a sliding window of (time, bytes) samples, and the ETA it implies. A window,
 * not the whole run: a resumed download starts with bytes it did not fetch now.
 */
export class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > this.windowMs) this.samples.shift();
  }

  /** Bytes per second, or null with fewer than two samples or no time between them. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t) return null;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.t - first.t));
  }

  /**
   * Seconds left, or null when the rate or the total is unknown (or nothing moves). Rounded up:
   * while bytes remain the answer is at least 1 s ("0 s left" only once everything is there).
   */
  eta(total: number | null): number | null {
    const rate = this.rate();
    const last = this.samples.at(-1);
    if (total === null || !last || !rate) return null;
    return Math.max(0, Math.ceil((total - last.bytes) / rate));
  }
}
