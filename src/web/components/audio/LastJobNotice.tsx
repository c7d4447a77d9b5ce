// "The reapply of the speech-model patches was interrupted by a control-plane restart at 14:05:09:
// <what the container is left in, what to do>" with a link to the job's whole log and a Dismiss
// button. Shown on a card, the patches panel and the NIM installs notice for a job that ended badly
// and nothing followed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LastJobInfo } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, dismissJob, jobLogUrl } from '../../api/services.js';
import { useNow } from '../../hooks/useNow.js';
import { lastJobHeadline } from '../../lib/lastJob.js';
import { localizeTimes } from '../../lib/time.js';

export function LastJobNotice({
  job,
  testId,
  dismissable = true,
}: {
  job: LastJobInfo;
  testId?: string;
  /** False where the notice is settled by its own actions instead (the NIM installs notice). */
  dismissable?: boolean;
}) {
  const now = useNow();
  const client = useQueryClient();
  const dismiss = useMutation({
    mutationFn: () => dismissJob(job.id),
    onSuccess: () => {
      // One container's notice can show on its card and on the patches panel: both re-read.
      void client.invalidateQueries({ queryKey: audioKeys.services, exact: true });
      void client.invalidateQueries({ queryKey: audioKeys.speechModels, exact: true });
    },
  });
  return (
    <div
      className={`job-notice job-notice-${job.state} small`}
      role="status"
      data-testid={testId}
      data-job-id={job.id}
      data-state={job.state}
    >
      <p>
        <strong>{lastJobHeadline(job, now)}:</strong> {localizeTimes(job.advice, now)}
      </p>
      <div className="button-row">
        <a
          href={jobLogUrl(job.id)}
          target="_blank"
          rel="noreferrer"
          data-testid={testId ? `${testId}-log` : undefined}
        >
          Job log
        </a>
        {dismissable ? (
          <button
            type="button"
            className="btn btn-ghost small"
            data-testid={testId ? `${testId}-dismiss` : undefined}
            title="Stop showing this notice (the job stays in the job history)"
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate()}
          >
            Dismiss
          </button>
        ) : null}
      </div>
      {dismiss.error ? (
        <p className="small error-text" role="alert">
          Could not dismiss: {errorMessage(dismiss.error)}
        </p>
      ) : null}
    </div>
  );
}
