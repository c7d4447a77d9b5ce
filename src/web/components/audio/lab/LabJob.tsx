// The transcription job followed live on its stream: phase, "chunk 3 of 18", a bar, elapsed time,
// Cancel while it runs, the server's error when it fails, Clear when it is over.
import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../../common/api.js';
import { errorMessage } from '../../../api/client.js';
import { jobStreamUrl } from '../../../api/services.js';
import { useJobLog } from '../../../hooks/useJobLog.js';
import { formatBytes } from '../../../lib/format.js';
import { isJobRunning, jobStateText, jobTone } from '../../../lib/jobs.js';
import { JobElapsed } from '../JobView.js';
import { cancelJob } from './labApi.js';
import { progressPercent, progressText } from './labFormat.js';
import type { LabRun, RunOutcome } from './labRun.js';

interface Props {
  run: LabRun;
  onEnd: (jobId: string, outcome: RunOutcome) => void;
  onDismiss: () => void;
}

export function LabJob({ run, onEnd, onDismiss }: Props) {
  const { state, job } = useJobLog(jobStreamUrl(run.job_id), {
    // A run remembered as ended is never reconnected to: its stream may be gone with the job.
    running: run.outcome === null ? undefined : false,
    onEnd: (j) => onEnd(run.job_id, j.state === 'running' ? 'unknown' : j.state),
  });
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  // A job the server no longer knows (restarted, expired): the result may still be kept.
  const lost = state === 'unavailable' && job === null;
  useEffect(() => {
    if (lost) onEnd(run.job_id, 'unknown');
  }, [lost, onEnd, run.job_id]);

  const cancel = () => {
    setCancelling(true);
    setCancelError(null);
    cancelJob(run.job_id).then(
      () => setCancelling(false),
      (e: unknown) => {
        setCancelling(false);
        setCancelError(errorMessage(e));
      },
    );
  };
  const running = job ? isJobRunning(job) : run.outcome === null && !lost;
  const detail = job ? progressText(job) : '';

  return (
    <div
      className="job-view stack-tight"
      data-testid="lab-job"
      data-job-id={run.job_id}
      data-state={job?.state ?? (lost ? 'unknown' : 'pending')}
    >
      <div className="card-title-row">
        <span className="small">
          <span className="mono">{run.file_name}</span>
          {run.file_bytes > 0 ? ` · ${formatBytes(run.file_bytes)}` : ''}
        </span>
        {job ? <span className={`pill ${jobTone(job.state)}`}>{jobStateText(job.state)}</span> : null}
        {detail ? (
          <span className="small muted" data-testid="lab-progress-text" aria-live="polite">
            {detail}
          </span>
        ) : null}
        {job ? <JobElapsed job={job} /> : null}
        <span className="lab-spacer" />
        {running ? (
          <button
            type="button"
            className="btn"
            onClick={cancel}
            disabled={cancelling}
            data-testid="lab-cancel"
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            onClick={onDismiss}
            data-testid="lab-clear"
            title="Forget this recording here (the server keeps its result for a while)"
          >
            Clear
          </button>
        )}
      </div>
      {running ? <Bar job={job} name={run.file_name} /> : null}
      {lost ? (
        <p className="small muted">
          The server no longer knows this job; showing its result if it is still kept.
        </p>
      ) : null}
      {job?.error ? (
        <p className="error-box small" role="alert" data-testid="lab-job-error">
          {job.error}
        </p>
      ) : null}
      {cancelError ? (
        <p className="small error-text" role="alert">
          {cancelError}
        </p>
      ) : null}
    </div>
  );
}

function Bar({ job, name }: { job: JobInfo | null; name: string }) {
  const pct = job ? progressPercent(job) : null;
  return (
    <div className="metric">
      <div
        className={`bar swap-bar${pct === null ? ' bar-indeterminate' : ''}`}
        role="progressbar"
        aria-label={`Transcription of ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        data-testid="lab-progress"
      >
        <div className="bar-fill" style={{ width: `${pct ?? 100}%` }} />
      </div>
    </div>
  );
}
