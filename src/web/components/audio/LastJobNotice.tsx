// "The reapply of the speech-model patches was interrupted by a control-plane restart at 14:05:09:
// <what the container is left in, what to do>" with a link to the job's whole log. Shown on a card,
// the patches panel and the NIM installs notice for a job that ended badly and nothing followed.
import type { LastJobInfo } from '../../../common/services-api.js';
import { jobLogUrl } from '../../api/services.js';
import { useNow } from '../../hooks/useNow.js';
import { lastJobHeadline } from '../../lib/lastJob.js';
import { localizeTimes } from '../../lib/time.js';

export function LastJobNotice({ job, testId }: { job: LastJobInfo; testId?: string }) {
  const now = useNow();
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
      <a
        href={jobLogUrl(job.id)}
        target="_blank"
        rel="noreferrer"
        data-testid={testId ? `${testId}-log` : undefined}
      >
        Job log
      </a>
    </div>
  );
}
