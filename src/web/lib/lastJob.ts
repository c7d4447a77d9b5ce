// The sentence a card, the patches panel and the NIM installs notice open with when the last job
// on a container was interrupted by a control-plane restart or failed: what it was, when (local
// time), and for a failure why. The server's `advice` (what the container is left in, what to do)
// follows it. Unit-tested in lastJob.test.ts.
import type { LastJobInfo } from '../../common/services-api.js';
import { formatWhenPrecise, type WhenOptions } from './time.js';

export function lastJobHeadline(
  job: Pick<LastJobInfo, 'state' | 'what' | 'ended_at' | 'reason'>,
  now: number,
  opts: WhenOptions = {},
): string {
  const at = formatWhenPrecise(job.ended_at, now, opts);
  if (job.state === 'interrupted') return `${job.what} was interrupted by a control-plane restart at ${at}`;
  return `${job.what} failed at ${at}: ${job.reason.replace(/[.\s]+$/, '')}`;
}

/** A notice the page itself is already showing (the job it started and follows) is not repeated. */
export function lastJobToShow(
  lastJob: LastJobInfo | null | undefined,
  followed: string | null,
): LastJobInfo | null {
  return lastJob && lastJob.id !== followed ? lastJob : null;
}
