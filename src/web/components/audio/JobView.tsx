// One job followed live: state, phase, a progress bar (indeterminate when the job cannot say),
// elapsed time, the error as the server wrote it, and a collapsible log.
import type { JobInfo } from '../../../common/api.js';
import { jobStreamUrl } from '../../api/services.js';
import { useJobLog } from '../../hooks/useJobLog.js';
import { useNow } from '../../hooks/useNow.js';
import { isJobRunning, jobElapsedS, jobPercent, jobStateText, jobTone } from '../../lib/jobs.js';
import { formatClock } from '../../lib/time.js';
import { LogTail } from './LogTail.js';

interface Props {
  id: string;
  /** What the job does, e.g. "Restart of parakeet". */
  title: string;
  onEnd?: (job: JobInfo) => void;
  /** Open the log from the start (the install dialog), or collapsed (cards). */
  logOpen?: boolean;
  testId?: string;
}

export function JobView({ id, title, onEnd, logOpen = false, testId }: Props) {
  const { log, state, job } = useJobLog(jobStreamUrl(id), { onEnd });
  const status = state === 'ended' ? 'complete' : state === 'unavailable' ? 'log unavailable' : state;
  return (
    <div
      className="job-view stack-tight"
      data-testid={testId}
      data-job-id={id}
      data-state={job?.state ?? 'pending'}
    >
      <div className="card-title-row">
        <span className="small">{title}</span>
        {job ? (
          <span className={`pill ${jobTone(job.state)}`} data-testid={testId ? `${testId}-state` : undefined}>
            {jobStateText(job.state)}
          </span>
        ) : (
          <span className="pill pill-muted">starting…</span>
        )}
        {job?.phase ? (
          <span className="small muted" data-testid={testId ? `${testId}-phase` : undefined}>
            {job.phase}
          </span>
        ) : null}
        {job ? <JobElapsed job={job} /> : null}
      </div>
      {job ? <JobBar job={job} title={title} /> : null}
      {job?.error ? (
        <p className="error-box small" role="alert">
          {job.error}
        </p>
      ) : null}
      <details className="disclosure" open={logOpen}>
        <summary>Log ({log.lines.length} lines)</summary>
        <LogTail
          lines={log.lines.map((l) => l.line)}
          dropped={log.dropped}
          label={`${title} log`}
          empty={state === 'ended' ? 'No log lines.' : 'Waiting for log lines…'}
          status={status}
          testId={testId ? `${testId}-log` : undefined}
        />
      </details>
    </div>
  );
}

/** Time the job has run, ticking while it runs. */
export function JobElapsed({ job }: { job: JobInfo }) {
  const now = useNow();
  const s = jobElapsedS(job, now);
  return <span className="small muted mono">{s === null ? '' : formatClock(s)}</span>;
}

function JobBar({ job, title }: { job: JobInfo; title: string }) {
  const pct = jobPercent(job);
  const running = isJobRunning(job);
  const level = job.state === 'failed' ? 'metric-danger' : job.state === 'interrupted' ? 'metric-warn' : '';
  return (
    <div className={`metric ${level}`}>
      <div
        className={`bar swap-bar${pct === null && running ? ' bar-indeterminate' : ''}`}
        role="progressbar"
        aria-label={`${title} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <div className="bar-fill" style={{ width: `${pct ?? (running ? 100 : 0)}%` }} />
      </div>
    </div>
  );
}
