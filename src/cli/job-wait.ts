// `--wait` for commands that start a job (download, restart): follow GET /api/jobs/{id} with a
// progress line, print the final job with --json, and exit with how it ended.
import type { JobInfo } from '../common/api.js';
import { printJson, type CliContext } from './context.js';
import { CliError } from './exit-codes.js';
import { jobDone, jobElapsed, jobOutcome, pollUntil } from './follow.js';
import { bar, progressView } from './format/progress.js';
import { duration, percent } from './format/units.js';

export type JobDetail = JobInfo & { log_tail?: string[] };

/** Extra text after the bar (e.g. per-node bytes of a download); empty for none. */
export type JobDetailText = (job: JobDetail) => string;

/** What changed enough for its own plain line: state, phase, and each 10 % of progress. */
export function jobStep(job: JobInfo): string {
  const tenth = job.progress === null ? '' : String(Math.floor(job.progress * 10));
  return `${job.state}\n${job.phase}\n${tenth}`;
}

export function jobPlainLine(job: JobInfo, now = Date.now()): string {
  const pct = job.progress === null ? '' : ` ${percent(job.progress)}`;
  return `[${Math.round(jobElapsed(job, now))}s] ${job.state}${pct}: ${job.phase}`;
}

export function jobBarLine(job: JobInfo, extra: string, now = Date.now()): string {
  const fraction = job.state === 'succeeded' ? 1 : job.progress;
  const parts = [
    job.state.padEnd(9),
    bar(fraction),
    percent(fraction).padStart(4),
    duration(jobElapsed(job, now)),
    extra || job.phase,
  ];
  return parts.join('  ');
}

export async function waitForJob(
  ctx: CliContext,
  id: string,
  detail: JobDetailText = () => '',
): Promise<JobDetail> {
  const view = progressView(ctx.io);
  const job = await pollUntil<JobDetail>(
    ctx,
    `/api/jobs/${encodeURIComponent(id)}`,
    jobDone,
    (j) => {
      if (!ctx.json) view.update(jobStep(j), ctx.io.isTTY ? jobBarLine(j, detail(j)) : jobPlainLine(j));
    },
    `job ${id}`,
  ).finally(() => view.done());
  if (ctx.json) printJson(ctx, job);
  const result = jobOutcome(job);
  if (result.message) throw new CliError(result.code, result.message);
  if (!ctx.json) ctx.out(`Job ${job.id} succeeded`);
  return job;
}
