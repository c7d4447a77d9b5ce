// A download job live: one bar per node with sizes, speed and ETA (from the job's stream), then
// Cancel while it runs, Retry for the nodes that failed, and "Add to catalog" once weights are there.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { JobInfo } from '../../../common/api.js';
import { useJobLog } from '../../hooks/useJobLog.js';
import { cancelJob, downloadStreamUrl, retryDownload } from './api.js';
import { actionsFor, nodeRows, type NodeRow } from './downloadView.js';

export function DownloadProgress({
  jobId,
  onRetry,
  onAddToCatalog,
}: {
  jobId: string;
  onRetry: (jobId: string) => void;
  onAddToCatalog: (job: JobInfo) => void;
}) {
  const [job, setJob] = useState<JobInfo | null>(null);
  useJobLog(downloadStreamUrl(jobId), { onJob: setJob, onEnd: setJob });
  const cancel = useMutation({ mutationFn: () => cancelJob(jobId) });
  const retry = useMutation({ mutationFn: () => retryDownload(jobId), onSuccess: onRetry });
  const actions = actionsFor(job);
  const rows = nodeRows(job);
  const error = cancel.error ?? retry.error;

  return (
    <div className="stack" data-testid="download-progress" data-state={job?.state ?? 'connecting'}>
      <p className="small muted">
        Job {jobId} · {job ? job.state : 'connecting…'}
        {job?.error ? ` · ${job.error}` : ''}
      </p>
      {rows.map((r) => (
        <NodeBar key={r.node} row={r} />
      ))}
      {error ? (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="button-row button-row-end">
        {actions.cancel ? (
          <button
            type="button"
            className="btn"
            data-testid="download-cancel"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
        {actions.retry ? (
          <button
            type="button"
            className="btn"
            data-testid="download-retry"
            disabled={retry.isPending}
            onClick={() => retry.mutate()}
          >
            Retry failed nodes
          </button>
        ) : null}
        {actions.addToCatalog && job ? (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="download-add-to-catalog"
            onClick={() => onAddToCatalog(job)}
          >
            Add to catalog
          </button>
        ) : null}
      </div>
    </div>
  );
}

function NodeBar({ row }: { row: NodeRow }) {
  const level = row.state === 'failed' ? 'danger' : 'ok';
  const reading = [row.sizes, row.speed, row.eta].filter(Boolean).join(' · ');
  return (
    <div
      className={`metric metric-${level}`}
      data-testid={`download-node-${row.node}`}
      data-state={row.state}
    >
      <div className="metric-head">
        <span className="metric-label">
          {row.node} · {row.state}
          {row.cli === 'huggingface-cli' ? ' (huggingface-cli)' : ''}
        </span>
        <span className="metric-value">{reading || (row.pct === null ? 'size not known yet' : '')}</span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Download on ${row.node}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={row.pct ?? undefined}
        aria-valuetext={reading}
      >
        <div
          className={`bar-fill${row.state === 'cancelled' ? ' bar-fill-muted' : ''}`}
          style={{ width: `${row.pct ?? 0}%` }}
        />
      </div>
      {row.error ? <p className="small error-text">{row.error}</p> : null}
    </div>
  );
}
