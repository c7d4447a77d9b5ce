// Follows GET /api/swap/{id}/stream: the log replayed from the start, then live lines and job
// changes, then `end`. Lines are batched (a replay is hundreds at once) and kept to the newest
// LOG_MAX_LINES. A dropped connection is reopened; repeats are skipped by sequence number.
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { JobStreamEvent } from '../../common/api.js';
import { refreshLoaded } from '../api/applyEvents.js';
import { queryKeys } from '../api/endpoints.js';
import { swapStreamUrl } from '../api/llm.js';
import { appendLog, EMPTY_LOG, type LogBuffer, type LogLine } from '../lib/logBuffer.js';

const BATCH_MS = 100;
const RETRY_AFTER_CLOSE_MS = 5_000;

export type LogStreamState = 'connecting' | 'live' | 'ended' | 'reconnecting' | 'unavailable';

function parse(raw: string): JobStreamEvent | null {
  try {
    const e = JSON.parse(raw) as JobStreamEvent | null;
    return e && typeof e === 'object' && typeof e.type === 'string' ? e : null;
  } catch {
    return null;
  }
}

/** `running`: whether the swap still runs; a finished swap's stream is not reopened after an error. */
export function useSwapLog(id: string, running: boolean) {
  const client = useQueryClient();
  const runningRef = useRef(running);
  useEffect(() => {
    runningRef.current = running;
  }, [running]);
  const [log, setLog] = useState<LogBuffer>(EMPTY_LOG);
  const [state, setState] = useState<LogStreamState>('connecting');

  useEffect(() => {
    let buffer = EMPTY_LOG;
    let pending: LogLine[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;
    let ended = false;

    const flush = () => {
      timer = undefined;
      const next = appendLog(buffer, pending);
      pending = [];
      if (next !== buffer) {
        buffer = next;
        setLog(next);
      }
    };
    // The swap ended: its final state may arrive here before the event stream's `swap` envelope.
    const refreshSwap = () => {
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
      refreshLoaded(client);
    };

    const handle = (raw: string) => {
      const e = parse(raw);
      if (!e) return;
      if (e.type === 'log') {
        pending.push({ seq: e.seq, line: e.line });
        timer ??= setTimeout(flush, BATCH_MS);
      } else if (e.type === 'job') {
        if (e.job.state !== 'running') refreshSwap();
      } else if (e.type === 'end') {
        ended = true;
        if (timer !== undefined) clearTimeout(timer);
        flush();
        setState('ended');
        source?.close();
        refreshSwap();
      }
    };

    const open = () => {
      retry = undefined;
      const es = new EventSource(swapStreamUrl(id));
      source = es;
      const onEvent = (m: MessageEvent<string>) => handle(m.data);
      es.onopen = () => setState('live');
      es.onmessage = onEvent;
      for (const name of ['log', 'job', 'end']) es.addEventListener(name, onEvent);
      es.onerror = () => {
        if (ended) return;
        if (!runningRef.current) {
          es.close();
          setState('unavailable');
          return;
        }
        setState('reconnecting');
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, RETRY_AFTER_CLOSE_MS);
        }
      };
    };

    open();
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [id, client]);

  // The phase is not returned: the panel reads it from the swap itself, with its state.
  return { log, state };
}
