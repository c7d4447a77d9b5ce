// Server-sent events for the followed streams (logs, events): the event name matters here — a log
// stream's last message is `event: end` / `event: error`, which a plain data splitter would take
// for a log line.

export interface SseMessage {
  /** `message` unless the server named it. */
  event: string;
  data: string;
}

/** Feeds text in arbitrary pieces; answers the messages each piece completed (WHATWG rules, minus retry/id). */
export function sseParser(): { push(text: string): SseMessage[]; end(): SseMessage[] } {
  let buffer = '';
  let event = '';
  let data: string[] | null = null;

  const line = (l: string, out: SseMessage[]) => {
    if (l === '') {
      if (data) out.push({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = null;
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon === -1 ? l : l.slice(0, colon);
    let value = colon === -1 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') (data ??= []).push(value);
  };

  return {
    push(text) {
      buffer += text;
      const out: SseMessage[] = [];
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        // A CR at the very end may be the first half of a CRLF: wait for the next piece.
        if (!m || (m[0] === '\r' && m.index === buffer.length - 1)) break;
        line(buffer.slice(0, m.index), out);
        buffer = buffer.slice(m.index + m[0].length);
      }
      return out;
    },
    end() {
      const out: SseMessage[] = [];
      if (buffer) line(buffer.replace(/\r$/, ''), out);
      buffer = '';
      line('', out);
      return out;
    },
  };
}

/** The messages of a response body until it ends (or the reader is cancelled). */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = sseParser();
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
