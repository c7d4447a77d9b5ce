// Splits a server-sent event stream, arriving in arbitrary pieces, into the `data` of each event
// (the WHATWG EventSource rules: lines end in LF, CR or CRLF; an empty line ends an event; `data:`
// lines join with "\n"; one space after the colon is dropped; comments and other fields are
// ignored). Both ends use it: the server reading vLLM's stream, the dashboard reading
// `POST /api/explain-updates` (EventSource cannot POST). Text in, so callers decode bytes with a
// streaming TextDecoder (a multibyte character may straddle two chunks).

export interface SseDataSplitter {
  /** The data of every event completed by this piece, in order. */
  push(text: string): string[];
  /** Events still open when the stream ended (a last event without its blank line). */
  end(): string[];
}

/** One event: its name (`message` unless the server named it) and its data. */
export interface SseMessage {
  event: string;
  data: string;
}

export interface SseMessageSplitter {
  /** Every event completed by this piece, in order. */
  push(text: string): SseMessage[];
  /** Events still open when the stream ended (a last event without its blank line). */
  end(): SseMessage[];
}

/**
 * The events with their names — a followed log stream ends with `event: end` / `event: error`,
 * which a data-only reader would take for one more line (the CLI's `logs -f`, `events -f`).
 */
export function sseMessageSplitter(): SseMessageSplitter {
  let partial = ''; // an unfinished line
  let event = ''; // the open event's name
  let data: string[] | null = null; // the open event's data lines
  let pendingCr = false; // the last piece ended in CR: an LF starting the next one is the same break

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
      const out: SseMessage[] = [];
      let s = text;
      if (pendingCr && s.startsWith('\n')) s = s.slice(1);
      pendingCr = false;
      let start = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(partial + s.slice(start, i), out);
        partial = '';
        if (c === 13) {
          if (i + 1 === s.length) pendingCr = true;
          else if (s.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      partial += s.slice(start);
      return out;
    },
    end() {
      const out: SseMessage[] = [];
      if (partial) line(partial, out);
      partial = '';
      line('', out);
      return out;
    },
  };
}

export function sseDataSplitter(): SseDataSplitter {
  const messages = sseMessageSplitter();
  return {
    push: (text) => messages.push(text).map((m) => m.data),
    end: () => messages.end().map((m) => m.data),
  };
}
