// Server-sent events for the followed streams (logs, events): the event name matters here — a log
// stream's last message is `event: end` / `event: error`, which a plain data splitter would take
// for a log line.
import { sseMessageSplitter, type SseMessage } from '../common/sse-data.js';

export type { SseMessage } from '../common/sse-data.js';

/** The messages of a response body until it ends (or the reader is cancelled). */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = sseMessageSplitter();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    reader.releaseLock();
  }
}
