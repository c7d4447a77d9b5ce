// `spark-control logs <service> [-f]`: without -f the last lines (GET /api/services/{name}/logs);
// with -f the live stream (GET /api/services/{name}/logs/stream: the last 200 lines, then new
// ones) until Ctrl-C or until the container stops (the server's `end` event).
import type { CliContext } from '../context.js';
import { print } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { readStream } from './stream.js';

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function recentLogs(ctx: CliContext, name: string, tail: number): Promise<void> {
  const r = await ctx.client.request<{ lines: string[] }>(
    'GET',
    `/api/services/${encodeURIComponent(name)}/logs?tail=${tail}`,
  );
  print(ctx, r, () => r.lines);
}

/** --json: one `{"line": …}` object per line (NDJSON), as they come. */
export async function followLogs(ctx: CliContext, name: string): Promise<void> {
  // An object, not a `let`: it is set inside the callback.
  const ended: { failure: string | null } = { failure: null };
  await readStream(ctx, `/api/services/${encodeURIComponent(name)}/logs/stream`, (m) => {
    if (m.event === 'end') {
      const code = parseJson(m.data).code;
      if (typeof code === 'number' && code !== 0) ended.failure = `docker logs ended with exit code ${code}`;
      return 'done';
    }
    if (m.event === 'error') {
      ended.failure = `The log stream failed: ${String(parseJson(m.data).error ?? m.data)}`;
      return 'done';
    }
    ctx.out(ctx.json ? JSON.stringify({ line: m.data }) : m.data);
    return 'more';
  });
  if (ended.failure) throw new CliError(EXIT.FAILED, ended.failure);
}
