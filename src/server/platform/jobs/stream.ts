// One job as server-sent events: the persisted log replayed, the job, then live lines and state
// changes, then `end`. Shared by `/api/jobs/:id/stream` and module streams such as the swap's.
//
// No gaps and no duplicates: we subscribe before reading the log, hold live events while the
// replay runs, then pass on only log lines newer than the last replayed seq. (Today the replay is
// synchronous so nothing can arrive in between; the buffer keeps that true if it ever is not.)
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobInfo, JobStreamEvent } from '../../../common/api.js';
import { AppError } from '../http/errors.js';
import { openSse } from '../http/sse.js';
import type { JobEvent } from './live-job.js';
import type { JobRunnerApi } from './types.js';

export interface StreamJobOptions {
  pingMs?: number;
  /** Reshapes each event before it is sent (e.g. a module adding its own view of the job). */
  map?: (e: JobStreamEvent) => unknown;
}

const PAGE = 1000;

/** Throws NOT_FOUND (a JSON 404) before the stream opens when the job does not exist. */
export function streamJob(
  req: FastifyRequest,
  reply: FastifyReply,
  runner: JobRunnerApi,
  id: string,
  opts: StreamJobOptions = {},
): void {
  if (!runner.get(id)) throw new AppError('NOT_FOUND', `No job with id ${id}.`);
  const sse = openSse(req, reply, { pingMs: opts.pingMs });
  const send = (e: JobStreamEvent) =>
    sse.send(opts.map ? opts.map(e) : e, e.type === 'log' ? { id: e.seq } : {});

  // A reconnecting EventSource sends the last seq it saw; it gets only what it missed.
  const resumeFrom = Number(req.headers['last-event-id']);
  let lastSeq = Number.isSafeInteger(resumeFrom) && resumeFrom > 0 ? resumeFrom : 0;
  let ended = false;
  const end = (job: JobInfo) => {
    if (ended) return;
    ended = true;
    send({ type: 'end', job });
    sse.close();
  };
  const deliver = (e: JobEvent) => {
    if (ended) return;
    if (e.type === 'log') {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
      send(e);
    } else {
      send(e);
      if (e.job.state !== 'running') end(e.job);
    }
  };

  let held: JobEvent[] | null = [];
  const unsubscribe = runner.subscribe(id, (e) => (held ? held.push(e) : deliver(e)));
  sse.onClose(unsubscribe);

  for (;;) {
    const page = runner.logSince(id, lastSeq, PAGE);
    for (const l of page) {
      lastSeq = l.seq;
      send({ type: 'log', ...l });
    }
    if (page.length < PAGE || sse.closed) break;
  }
  const job = runner.get(id);
  if (!job || sse.closed) return sse.close();
  send({ type: 'job', job });
  const pending = held;
  held = null;
  // Job events that arrived during the replay are older than the snapshot just sent.
  for (const e of pending) if (e.type === 'log') deliver(e);
  if (job.state !== 'running') end(job);
}
