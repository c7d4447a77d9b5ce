// Follows one job's SSE stream (`GET /api/jobs/{id}/stream`, or a module's own such as the swap's):
// the log replayed from the start, then live lines and job changes, then `end`. Lines are batched
// (a replay is hundreds at once) and kept to the newest LOG_MAX_LINES; repeats after a reconnect
// are skipped by sequence number. A dropped connection is reopened while the job runs; a stream the
// server keeps refusing (the job is gone: 404) is given up after a few widening waits.
import { useEffect, useRef, useState } from 'react';
import type { JobInfo, JobStreamEvent } from '../../common/api.js';
import { appendLog, EMPTY_LOG, type LogBuffer, type LogLine } from '../lib/logBuffer.js';

const BATCH_MS = 100;
const RETRY_AFTER_CLOSE_MS = 5_000;
const RETRY_MAX_MS = 60_000;
/** Refusals in a row (no event stream answered in between) before the log says it is unavailable. */
const RETRIES_AFTER_CLOSE = 5;

/**
 * The wait before reopening a stream the server answered with an error (EventSource CLOSED: an HTTP
 * status, not a network drop, which the browser retries itself), or null to give up. `refusals`
 * counts them since the stream last opened.
 */
export function reopenDelay(refusals: number): number | null {
  if (refusals > RETRIES_AFTER_CLOSE) return null;
  return Math.min(RETRY_AFTER_CLOSE_MS * 2 ** Math.max(0, refusals - 1), RETRY_MAX_MS);
}

export type LogStreamState = 'connecting' | 'live' | 'ended' | 'reconnecting' | 'unavailable';

export interface JobLogOptions {
  /** Whether the job still runs, when the caller knows better than the stream (else: its events). */
  running?: boolean;
  /** Every job change (state, phase, progress) the stream reports. */
  onJob?: (job: JobInfo) => void;
  /** Once, with the final job. */
  onEnd?: (job: JobInfo) => void;
}

function parse(raw: string): JobStreamEvent | null {
  try {
    const e = JSON.parse(raw) as JobStreamEvent | null;
    return e && typeof e === 'object' && typeof e.type === 'string' ? e : null;
  } catch {
    return null;
  }
}

export function useJobLog(url: string, opts: JobLogOptions = {}) {
  const optsRef = useRef(opts);
  useEffect(() => {
    optsRef.current = opts;
  });
  const [log, setLog] = useState<LogBuffer>(EMPTY_LOG);
  const [state, setState] = useState<LogStreamState>('connecting');
  const [job, setJob] = useState<JobInfo | null>(null);

  useEffect(() => {
    let buffer = EMPTY_LOG;
    let pending: LogLine[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let source: EventSource | null = null;
    let ended = false;
    let runningNow = true;
    let refusals = 0;
    const running = () => optsRef.current.running ?? runningNow;

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
        runningNow = e.job.state === 'running';
        setJob(e.job);
        optsRef.current.onJob?.(e.job);
      } else if (e.type === 'end') {
        ended = true;
        runningNow = false;
        if (timer !== undefined) clearTimeout(timer);
        flush();
        setJob(e.job);
        setState('ended');
        source?.close();
        optsRef.current.onEnd?.(e.job);
      }
    };

    const open = () => {
      retry = undefined;
      const es = new EventSource(url);
      source = es;
      const onEvent = (m: MessageEvent<string>) => handle(m.data);
      es.onopen = () => {
        refusals = 0;
        setState('live');
      };
      es.onmessage = onEvent;
      for (const name of ['log', 'job', 'end']) es.addEventListener(name, onEvent);
      es.onerror = () => {
        if (ended) return;
        // A finished job's stream is not reopened: its log is what the server kept.
        if (!running()) {
          es.close();
          setState('unavailable');
          return;
        }
        if (es.readyState !== EventSource.CLOSED) return setState('reconnecting');
        es.close();
        const wait = reopenDelay(++refusals);
        if (wait === null) return setState('unavailable');
        setState('reconnecting');
        retry = setTimeout(open, wait);
      };
    };

    open();
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [url]);

  return { log, state, job };
}
