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

export function sseDataSplitter(): SseDataSplitter {
  let partial = ''; // an unfinished line
  let data: string[] | null = null; // the open event's data lines
  let pendingCr = false; // the last piece ended in CR: an LF starting the next one is the same break

  const line = (l: string, out: string[]) => {
    if (l === '') {
      if (data) out.push(data.join('\n'));
      data = null;
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon === -1 ? l : l.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    (data ??= []).push(value);
  };

  return {
    push(text) {
      const out: string[] = [];
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
      const out: string[] = [];
      if (partial) line(partial, out);
      partial = '';
      line('', out);
      return out;
    },
  };
}
