// The live tail of a container's log (GET /api/services/{name}/logs/stream). The drawer mounts
// this only while open, so the stream closes the moment the drawer closes or the card goes away. The server
// strips ANSI; appendLog strips any that slips through. No reconnect after the server ends it.
import { useEffect, useState } from 'react';
import { serviceLogStreamUrl } from '../api/services.js';
import { logLineOf, streamErrorText } from '../lib/audioResponses.js';
import { appendLog, EMPTY_LOG, type LogBuffer, type LogLine } from '../lib/logBuffer.js';

const BATCH_MS = 100;

export type TailState = 'connecting' | 'live' | 'ended';

export function useLogTail(name: string) {
  const [log, setLog] = useState<LogBuffer>(EMPTY_LOG);
  const [state, setState] = useState<TailState>('connecting');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let buffer = EMPTY_LOG;
    let seq = 0;
    let pending: LogLine[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      timer = undefined;
      buffer = appendLog(buffer, pending);
      pending = [];
      setLog(buffer);
    };
    const es = new EventSource(serviceLogStreamUrl(name));
    const onLine = (m: MessageEvent<string>) => {
      const line = logLineOf(m.data);
      if (line === null) return;
      pending.push({ seq: seq++, line });
      timer ??= setTimeout(flush, BATCH_MS);
    };
    es.onopen = () => setState('live');
    es.onmessage = onLine;
    es.addEventListener('log', onLine);
    const end = (why: string | null) => {
      es.close();
      if (timer !== undefined) clearTimeout(timer);
      flush();
      setError(why);
      setState('ended');
    };
    // `end`: docker logs -f returned (the container stopped or is gone).
    es.addEventListener('end', () => end(null));
    // A named `error` event carries the server's reason; a bare error is the connection (or a
    // refusal before the stream opened). A tail has nothing to resume: either ends the view.
    es.onerror = (e: Event) => end(e instanceof MessageEvent ? streamErrorText(e.data) : null);

    return () => {
      if (timer !== undefined) clearTimeout(timer);
      es.close();
    };
  }, [name]);

  return { log, state, error };
}
