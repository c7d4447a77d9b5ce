// Pure helpers for a job followed on the Audio tab (service action, NIM install, bot update,
// patch reapply): running or not, the ticking elapsed time, the bar's fill. Unit-tested.
import type { JobInfo } from '../../common/api.js';

export function isJobRunning(job: Pick<JobInfo, 'state'> | null | undefined): boolean {
  return job?.state === 'running';
}

/** Seconds since the job started, at browser time `now`; frozen at its end once finished. */
export function jobElapsedS(job: Pick<JobInfo, 'started_at' | 'finished_at'>, now: number): number | null {
  const start = Date.parse(job.started_at);
  if (!Number.isFinite(start)) return null;
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return Math.max(0, ((Number.isFinite(end) ? end : now) - start) / 1000);
}

/** 0–100 for the bar, or null when the job does not know its progress (an indeterminate bar). */
export function jobPercent(job: Pick<JobInfo, 'state' | 'progress'>): number | null {
  if (job.state === 'succeeded') return 100;
  if (job.progress == null || !Number.isFinite(job.progress)) return null;
  return Math.round(Math.max(0, Math.min(1, job.progress)) * 100);
}

const STATE_TEXT: Record<JobInfo['state'], string> = {
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted (the control plane restarted)',
};

export function jobStateText(state: JobInfo['state']): string {
  return STATE_TEXT[state];
}

const TONE: Record<JobInfo['state'], string> = {
  running: 'pill-info',
  succeeded: 'pill-ok',
  failed: 'pill-danger',
  cancelled: 'pill-muted',
  interrupted: 'pill-warn',
};

/** The pill colour of a job's state. */
export function jobTone(state: JobInfo['state']): string {
  return TONE[state];
}

/** Within `slack` px of the bottom: new lines keep the view at the bottom (the user has not scrolled up). */
export function isNearBottom(
  el: { scrollHeight: number; scrollTop: number; clientHeight: number },
  slack = 24,
): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < slack;
}
