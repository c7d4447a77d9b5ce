// `spark-control logs <service> [-f]`: the server replays the container's last 200 lines, then
// follows. Without -f the CLI stops once that replay has gone quiet; with -f it prints until
// Ctrl-C or until the container stops (the server's `end` event).
import type { CliContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { readStream } from './stream.js';

/** Without -f: how long to wait for the first line (an SSH round trip), then for quiet after the last. */
const FIRST_LINE_MS = 10_000;
const QUIET_MS = 1000;

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function followLogs(ctx: CliContext, name: string, follow: boolean): Promise<void> {
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    if (follow) return;
    clearTimeout(timer);
    timer = setTimeout(() => stop.abort(), ms);
  };
  // An object, not a `let`: it is set inside the callback.
  const ended: { failure: string | null } = { failure: null };
  arm(FIRST_LINE_MS);
  try {
    await readStream(
      ctx,
      `/api/services/${encodeURIComponent(name)}/logs/stream`,
      (m) => {
        if (m.event === 'end') {
          const code = parseJson(m.data).code;
          if (typeof code === 'number' && code !== 0)
            ended.failure = `docker logs ended with exit code ${code}`;
          return 'done';
        }
        if (m.event === 'error') {
          ended.failure = `The log stream failed: ${String(parseJson(m.data).error ?? m.data)}`;
          return 'done';
        }
        ctx.out(ctx.json ? JSON.stringify({ line: m.data }) : m.data);
        arm(QUIET_MS);
        return 'more';
      },
      stop,
    );
  } finally {
    clearTimeout(timer);
  }
  if (ended.failure) throw new CliError(EXIT.FAILED, ended.failure);
}
