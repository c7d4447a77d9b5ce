// `docker pull` output → job progress. Without a terminal (an SSH exec has none) the docker CLI
// prints only each layer's status changes (`<id>: Pulling fs layer`, `Download complete`,
// `Pull complete`); on a terminal it also prints `<id>: Downloading [==>   ]  12.3MB/1.2GB` bars
// (with cursor escapes). Both are read here: byte counts when bars come, stages otherwise.

type Stage = 'pending' | 'downloading' | 'downloaded' | 'extracting' | 'complete';

interface Layer {
  stage: Stage;
  /** Bytes of the current bar (download or extract) and the layer's size, when bars were seen. */
  current: number;
  total: number | null;
}

/** What a line is for the job: a status worth logging, a progress bar (counted, not logged), or noise. */
export type PullLine = 'log' | 'progress';

// eslint-disable-next-line no-control-regex -- terminal escapes are exactly what this strips
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** docker's HumanSize (`12.3MB`, `1.21GB`, `512B`) → bytes; null when it is not one. */
export function parseSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB)$/.exec(text.trim());
  return m ? Number(m[1]) * (UNITS[m[2]!] ?? 1) : null;
}

export class PullProgress {
  private readonly layers = new Map<string, Layer>();

  /** Reads one line of output. */
  feed(raw: string): PullLine {
    const line = raw.replace(ANSI, '').replace(/\r/g, '').trim();
    const m = /^([0-9a-f]{12,64}): (.+)$/.exec(line);
    if (!m) return 'log';
    const id = m[1]!;
    const rest = m[2]!;
    const layer = this.layers.get(id) ?? { stage: 'pending', current: 0, total: null };
    this.layers.set(id, layer);
    const bar =
      /^(Downloading|Extracting)\s*(?:\[[=> ]*\])?\s*([\d.]+\s*[kKMGT]?B)\s*\/\s*([\d.]+\s*[kKMGT]?B)/.exec(
        rest,
      );
    if (bar) {
      layer.stage = bar[1] === 'Downloading' ? 'downloading' : 'extracting';
      layer.current = parseSize(bar[2]!) ?? 0;
      layer.total = parseSize(bar[3]!) ?? layer.total;
      return 'progress';
    }
    if (/^(Pull complete|Already exists)/.test(rest)) layer.stage = 'complete';
    else if (/^(Download complete|Verifying Checksum)/.test(rest))
      layer.stage = maxStage(layer.stage, 'downloaded');
    else if (/^Extracting/.test(rest)) layer.stage = maxStage(layer.stage, 'extracting');
    else if (/^Downloading/.test(rest)) layer.stage = maxStage(layer.stage, 'downloading');
    return 'log';
  }

  /** 0–1 over all layers seen (weighted by size where known); null before the first layer. */
  fraction(): number | null {
    if (this.layers.size === 0) return null;
    const sizes = [...this.layers.values()]
      .map((l) => l.total)
      .filter((t): t is number => t !== null && t > 0);
    const typical = sizes.length > 0 ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 1;
    let done = 0;
    let all = 0;
    for (const l of this.layers.values()) {
      const w = l.total ?? typical;
      all += w;
      done += w * layerFraction(l);
    }
    return all > 0 ? Math.min(1, done / all) : null;
  }

  counts(): { layers: number; complete: number } {
    const complete = [...this.layers.values()].filter((l) => l.stage === 'complete').length;
    return { layers: this.layers.size, complete };
  }
}

const ORDER: Stage[] = ['pending', 'downloading', 'downloaded', 'extracting', 'complete'];
const maxStage = (a: Stage, b: Stage): Stage => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** Downloading is 80 % of a layer's work, extracting the rest. */
function layerFraction(l: Layer): number {
  const part = l.total ? Math.min(1, l.current / l.total) : 0;
  switch (l.stage) {
    case 'pending':
      return 0;
    case 'downloading':
      return 0.8 * part;
    case 'downloaded':
      return 0.8;
    case 'extracting':
      return 0.8 + 0.2 * part;
    case 'complete':
      return 1;
  }
}
