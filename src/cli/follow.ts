// Waiting for a swap or a job: poll its state once a second until it ends, riding out a short
// control-plane restart (a swap re-attaches after one), and say how it ended as an exit code.
import type { JobInfo } from '../common/api.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { Interrupted } from './http.js';

export const POLL_MS = 1000;
/** A control-plane restart mid-job is survivable; a long outage is not. */
const MAX_MISSED_POLLS = 10;

/** Resolves after `ms`, or at once when Ctrl-C was pressed (the caller sees the signal). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * GETs `path` until `isFinal`, calling `onUpdate` with every answer. Ctrl-C stops the waiting
 * (exit 130) and says what goes on without us.
 */
export async function pollUntil<T>(
  ctx: CliContext,
  path: string,
  isFinal: (value: T) => boolean,
  onUpdate: (value: T) => void,
  goesOn: string,
): Promise<T> {
  let missed = 0;
  const interrupted = () =>
    new CliError(EXIT.INTERRUPTED, `Stopped waiting: ${goesOn} goes on on the server.`);
  for (;;) {
    if (ctx.io.signal.aborted) throw interrupted();
    let value: T;
    try {
      value = await ctx.client.request<T>('GET', path);
      missed = 0;
    } catch (e) {
      if (e instanceof Interrupted) throw interrupted();
      if (!(e instanceof CliError) || e.exitCode !== EXIT.UNREACHABLE || ++missed > MAX_MISSED_POLLS) throw e;
      await pause(POLL_MS, ctx.io.signal);
      continue;
    }
    onUpdate(value);
    if (isFinal(value)) return value;
    await pause(POLL_MS, ctx.io.signal);
  }
}

/** Exit 0 only for succeeded; the reason (and the end of the log) for the rest. */
export function jobOutcome(job: JobInfo & { log_tail?: string[] }): {
  code: ExitCode;
  message: string | null;
} {
  if (job.state === 'succeeded') return { code: EXIT.OK, message: null };
  if (job.state === 'cancelled') return { code: EXIT.CANCELLED, message: `Job ${job.id} was cancelled` };
  const tail = (job.log_tail ?? []).slice(-5);
  const why =
    job.error ?? (job.state === 'interrupted' ? 'the control plane restarted while it ran' : job.phase);
  return {
    code: EXIT.FAILED,
    message: [`Job ${job.id} ${job.state}: ${why}`, ...tail.map((l) => `  | ${l}`)].join('\n'),
  };
}

/** Seconds since the job started (until it finished). */
export function jobElapsed(job: JobInfo, now = Date.now()): number {
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return Math.max(0, (end - Date.parse(job.started_at)) / 1000);
}

export const jobDone = (job: JobInfo) => job.state !== 'running';
