// Where the CLI reads and writes: the real process in main.ts, captured buffers in tests (the
// in-process tests never see the developer's environment, because `env` is passed in).

export interface CliIo {
  /** One line of the answer on stdout. */
  out(line: string): void;
  /** Raw text on stdout (a progress bar redrawn in place). */
  write(text: string): void;
  /** Text on stderr, as is. */
  err(text: string): void;
  /** Whether stdout is a terminal: progress bars redraw there; pipes and cron get plain lines. */
  isTTY: boolean;
  /** Terminal width for the progress line (80 when unknown). */
  columns: number;
  /** Where SPARK_CONTROL_URL / SPARK_CONTROL_TOKEN come from. */
  env: Record<string, string | undefined>;
  /** Aborted on Ctrl-C: following a stream ends, waiting for a job stops (the job goes on). */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 80,
    env: process.env,
    signal,
  };
}
