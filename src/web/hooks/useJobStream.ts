// Follows GET /api/jobs/{id}/stream for the Audio tab's jobs (service actions, NIM install, bot
// update, patch reapply): the log replayed, then live lines and job changes, then `end`. Like
// the swap log (useSwapLog.ts) lines are batched and repeats skipped by sequence number; the
// latest JobInfo (phase, progress, meta) comes along. `onEnd` runs once with the final job.
import { useEffect, useRef, useState } from 'react';
import type { JobInfo, JobStreamEvent } from '../../common/api.js';
import { jobStreamUrl } from '../api/services.js';
import { appendLog, EMPTY_LOG, type LogBuffer, type LogLine } from '../lib/logBuffer.js';
import type { LogStreamState } from './useSwapLog.js';

const BATCH_MS = 100;
const RETRY_AFTER_CLOSE_MS = 5_000;

function parse(raw: string): JobStreamEvent | null {
  try {
    const e = JSON.parse(raw) as JobStreamEvent | null;
    return e && typeof e === 'object' && typeof e.type === 'string' ? e : null;
  } catch {
    return null;
  }
}

export function useJobStream(id: string, onEnd?: (job: JobInfo) => void) {
  const [log, setLog] = useState<LogBuffer>(EMPTY_LOG);
  const [state, setState] = useState<LogStreamState>('connecting');
  const [job, setJob] = useState<JobInfo | null>(null);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);

  useEffect(() => {
    let buffer = EMPTY_LOG;
    let pending: LogLine[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;
    let ended = false;
    let running = true;

    const flush = () => {
      timer = undefined;
      const next = appendLog(buffer, pending);
      pending = [];
      if (next !== buffer) {
        buffer = next;
        setLog(next);
      }
    };

    const handle = (raw: string) => {
      const e = parse(raw);
      if (!e) return;
      if (e.type === 'log') {
        pending.push({ seq: e.seq, line: e.line });
        timer ??= setTimeout(flush, BATCH_MS);
      } else if (e.type === 'job') {
        running = e.job.state === 'running';
        setJob(e.job);
      } else if (e.type === 'end') {
        ended = true;
        running = false;
        if (timer !== undefined) clearTimeout(timer);
        flush();
        setJob(e.job);
        setState('ended');
        source?.close();
        onEndRef.current?.(e.job);
      }
    };

    const open = () => {
      retry = undefined;
      const es = new EventSource(jobStreamUrl(id));
      source = es;
      const onEvent = (m: MessageEvent<string>) => handle(m.data);
      es.onopen = () => setState('live');
      es.onmessage = onEvent;
      for (const name of ['log', 'job', 'end']) es.addEventListener(name, onEvent);
      es.onerror = () => {
        if (ended) return;
        if (!running) {
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
  }, [id]);

  return { log, state, job };
}
