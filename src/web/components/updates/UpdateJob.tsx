// An update or rollback while it runs: its phases as steps (time spent in each), then the job
// itself (state, elapsed time, the live log) and Cancel, which asks first.
import type { UpdateRecord } from '../../../common/updates-api.js';
import { useConfirmedMutation } from '../../hooks/useConfirmedMutation.js';
import { formatClock } from '../../lib/time.js';
import { JobView } from '../audio/JobView.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { cancelJob } from '../downloads/api.js';
import { phaseSteps } from './updatesView.js';

const MARK = { done: '✓', current: '▸', failed: '✗', pending: '·' } as const;

export function UpdateJob({ record, onEnd }: { record: UpdateRecord; onEnd: () => void }) {
  const what = record.kind === 'rollback' ? 'Rollback' : 'Update';
  const cancel = useConfirmedMutation({ mutationFn: () => cancelJob(record.job_id) });
  return (
    <div className="stack-tight" data-testid="update-job">
      <ol className="update-steps small" aria-label={`${what} phases`}>
        {phaseSteps(record).map((s) => (
          <li key={s.phase} className={`update-step update-step-${s.status}`} data-status={s.status}>
            <span aria-hidden="true">{MARK[s.status]}</span> {s.label}
            {s.seconds !== null ? <span className="muted mono"> {formatClock(s.seconds)}</span> : null}
          </li>
        ))}
      </ol>
      <JobView
        key={record.job_id}
        id={record.job_id}
        title={`${what} of spark-vllm-docker`}
        onEnd={onEnd}
        testId="update-job-view"
      />
      <div className="button-row button-row-end">
        <button type="button" className="btn" onClick={cancel.ask} data-testid="update-cancel">
          Cancel…
        </button>
      </div>
      <ConfirmDialog
        {...cancel.dialog}
        title={`Stop the ${what.toLowerCase()}?`}
        confirmLabel={`Stop the ${what.toLowerCase()}`}
        cancelLabel="Keep going"
        danger
        testId="update-cancel-dialog"
      >
        <p>
          Stops the running step on the Spark. The launcher stays as far as it got; Roll back restores the
          previous commit and image.
        </p>
      </ConfirmDialog>
    </div>
  );
}
