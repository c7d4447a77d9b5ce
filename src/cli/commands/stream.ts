// Reading a followed SSE stream (logs -f, events -f) until it ends, Ctrl-C, or `stop`: the end the
// user asked for is a normal end (exit 0); a stream that breaks on its own is not.
import type { CliContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { sseMessages, type SseMessage } from '../sse.js';

/** What the handler wants after a message: keep reading, or stop here (the stream's own end). */
export type Next = 'more' | 'done';

export async function readStream(
  ctx: CliContext,
  path: string,
  onMessage: (m: SseMessage) => Next,
  stop: AbortController = new AbortController(),
): Promise<void> {
  const body = await ctx.client.stream(path, stop.signal);
  try {
    for await (const m of sseMessages(body)) if (onMessage(m) === 'done') return;
  } catch (e) {
    if (stop.signal.aborted || ctx.io.signal.aborted) return;
    const why = e instanceof Error ? e.message : String(e);
    throw new CliError(EXIT.UNREACHABLE, `The stream from ${ctx.client.origin} broke: ${why}`);
  } finally {
    stop.abort();
  }
}
