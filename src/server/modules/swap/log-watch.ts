// Reads vLLM's log as it streams during a load and recognises the lines that mean the engine
// will never become ready, so a failed swap fails at once with vLLM's own words instead of
// waiting for a timeout.

/** Lines after which vLLM does not recover. */
const FATAL = [
  /Engine core initialization failed/,
  /^vllm: error:/,
  /^usage: vllm /,
  /CUDA out of memory|torch\.OutOfMemoryError/,
  /RuntimeError: .*NCCL|ncclSystemError|Ray.*(died|lost)/i,
  /No such file or directory: .*config\.json|does not appear to have a file named config\.json/,
  /Repository Not Found|is not a local folder and is not a valid model identifier/,
  /Address already in use/,
  // vLLM could not read the swap's --config file (missing where the rank started, or not YAML).
  /Unable to read the config file at|Config file must be of a yaml\/yml type|No config file specified/,
];

/** The line that best explains a failure: an exception message beats a generic wrapper. */
const EXPLAINS = /^(vllm: error:.*|\w*(Error|Exception): .+)$/;

export class LogWatch {
  private readonly recent: string[] = [];
  private fatalAt = -1;

  constructor(private readonly keep = 400) {}

  /** Feeds one line; returns true when it marks the engine as dead. */
  push(line: string): boolean {
    // Strip terminal colour codes (ESC [ … m) that vLLM prints when it thinks it has a TTY.
    const text = line.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').trimEnd();
    this.recent.push(text);
    if (this.recent.length > this.keep) this.recent.shift();
    const body = text.replace(/^\(\w+ pid=\d+\)\s*/, '');
    if (this.fatalAt < 0 && FATAL.some((re) => re.test(body))) {
      this.fatalAt = this.recent.length - 1;
      return true;
    }
    return false;
  }

  get failed(): boolean {
    return this.fatalAt >= 0;
  }

  /** A one-line reason in vLLM's own words (e.g. the ValueError that killed engine init). */
  reason(): string {
    const bodies = this.recent.map((l) =>
      l.replace(/^(\(\w+ pid=\d+\)\s*)?(\w+ \d\d-\d\d [\d:]+ \[[^\]]+\]\s*)?/, ''),
    );
    const explained = bodies.findLast(
      (l) => EXPLAINS.test(l) && !/Engine core initialization failed/.test(l),
    );
    return explained ?? bodies[this.fatalAt] ?? 'vLLM stopped while loading';
  }

  tail(n = 50): string[] {
    return this.recent.slice(-n);
  }
}
