// Subscribes to GET /api/events. EventSource reconnects by itself after a dropped connection;
// when the server answers with an error instead (the browser then gives up), open a new one
// after a pause. The server replays the current state on every connect.
import { useEffect, useState } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { createEventBatcher, parseEnvelope } from '../api/applyEvents.js';
import type { StreamState } from './streamState.js';

const RETRY_AFTER_CLOSE_MS = 5_000;

export function useEventStream(client: QueryClient, url = '/api/events'): StreamState {
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    const batcher = createEventBatcher(client);
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const open = () => {
      retry = undefined;
      const es = new EventSource(url);
      source = es;
      es.onopen = () => setState('live');
      let restarting = false;
      es.onmessage = (msg: MessageEvent<string>) => {
        const env = parseEnvelope(msg.data);
        if (env?.type === 'server_shutdown') {
          restarting = true;
          setState('restarting');
        } else if (env) batcher.push(env);
      };
      es.onerror = () => {
        // Keep saying "restarting" (not "reconnecting") until the server is back.
        if (!restarting) setState('reconnecting');
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, RETRY_AFTER_CLOSE_MS);
        }
      };
    };

    open();
    return () => {
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
      batcher.dispose();
    };
  }, [client, url]);

  return state;
}
