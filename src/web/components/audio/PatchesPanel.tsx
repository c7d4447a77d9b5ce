// Speech-model patches: each shipped overlay file against the one inside the Parakeet container
// (in sync / drift / missing), the models loaded, and Reapply / Restart with the step-by-step result;
// a reapply, restore or restart that a control-plane restart cut short (or that failed) is explained.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { JobInfo } from '../../../common/api.js';
import type { ReapplyResult, SpeechModelsResponse } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, getSpeechModels, reapplyPatches, restartSpeechModels } from '../../api/services.js';
import { useSpeechModels } from '../../hooks/audioQueries.js';
import { reapplyResultOf } from '../../lib/audioResponses.js';
import { lastJobToShow } from '../../lib/lastJob.js';
import { patchStatusPill, patchSummary } from '../../lib/services.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { JobView } from './JobView.js';
import { LastJobNotice } from './LastJobNotice.js';
import { PatchSteps } from './PatchSteps.js';
import { LoadProblem } from './LoadProblem.js';

type Op = 'reapply' | 'restart';
type Confirm = Op | null;

const TITLE: Record<Op, string> = { reapply: 'Reapplying the patches', restart: 'Restarting the container' };
const DONE: Record<Op, string> = { reapply: 'Patches reapplied.', restart: 'Restarted and answering.' };
const FAILED: Record<Op, string> = { reapply: 'Reapply failed.', restart: 'Restart failed.' };

export function PatchesPanel() {
  const { data, error } = useSpeechModels();
  return (
    <section className="card audio-panel" aria-label="Speech-model patches" data-testid="patches-panel">
      <header className="card-title-row">
        <h3 className="model-name">Speech-model patches</h3>
        {data ? (
          <span className="small muted">
            {data.container} on {data.node}
          </span>
        ) : null}
      </header>
      {data ? (
        <PatchesBody data={data} />
      ) : error ? (
        <LoadProblem what="Speech-model patches" error={error} testId="patches-unavailable" />
      ) : (
        <p className="small muted">Loading…</p>
      )}
    </section>
  );
}

function PatchesBody({ data }: { data: SpeechModelsResponse }) {
  const client = useQueryClient();
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [op, setOp] = useState<Op>('reapply');
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<ReapplyResult | null>(null);
  const [ended, setEnded] = useState(false);
  // Compare the files again now: the last comparison predates what the job changed.
  const refresh = () =>
    void client
      // staleTime 0: the client's default (5 s) would hand back the comparison from before the job.
      .fetchQuery({
        queryKey: audioKeys.speechModels,
        queryFn: () => getSpeechModels(undefined, true),
        staleTime: 0,
      })
      .catch(() => undefined); // the panel's own query shows a failure on its next read
  const act = useMutation({
    mutationFn: async (what: Op) => {
      if (what === 'restart') return { job_id: await restartSpeechModels() };
      return reapplyPatches();
    },
    onSuccess: (started, what) => {
      setConfirm(null);
      setOp(what);
      setEnded(false);
      setResult('result' in started ? started.result : null);
      setJobId('job_id' in started ? started.job_id : null);
      if ('result' in started || !started.job_id) refresh();
    },
  });
  const onEnd = (job: JobInfo) => {
    setEnded(true);
    setResult(reapplyResultOf(job));
    refresh();
  };
  // A patch job someone else started (another browser, the API) shows here too.
  const otherJob = !jobId && data.job?.state === 'running' ? data.job : null;
  // The last job on the container when a restart cut it short or it failed, and none ran since.
  const lastJob = lastJobToShow(data.last_job, jobId);
  const busy = act.isPending || otherJob !== null || (jobId !== null && !ended);

  return (
    <div className="stack">
      {data.error ? (
        <p className="small error-text" role="status">
          {data.error}
        </p>
      ) : null}
      <p className="small">{patchSummary(data.files)}</p>
      <ul className="patch-files">
        {data.files.map((f) => {
          const pill = patchStatusPill(f.status);
          return (
            <li key={f.path} data-testid={`patch-file-${f.path}`} data-status={f.status}>
              <span className={`pill pill-${pill.tone}`}>{pill.label}</span>
              <span
                className="mono small"
                title={`shipped ${f.shipped_sha256}\nin container ${f.container_sha256 ?? '—'}`}
              >
                {f.path}
              </span>
            </li>
          );
        })}
      </ul>
      {data.models.length > 0 ? <p className="small muted">Models loaded: {data.models.join(', ')}</p> : null}
      <div className="button-row">
        <button
          type="button"
          className="btn"
          data-testid="patches-reapply"
          disabled={busy}
          onClick={() => setConfirm('reapply')}
        >
          Reapply
        </button>
        <button
          type="button"
          className="btn"
          data-testid="patches-restart"
          disabled={busy}
          onClick={() => setConfirm('restart')}
        >
          Restart container
        </button>
      </div>
      {lastJob ? <LastJobNotice job={lastJob} testId="patches-last-job" /> : null}
      {jobId ? (
        <JobView key={jobId} id={jobId} title={TITLE[op]} onEnd={onEnd} testId="patches-job" />
      ) : otherJob ? (
        <JobView
          key={otherJob.id}
          id={otherJob.id}
          title={`Job ${otherJob.kind}`}
          onEnd={refresh}
          testId="patches-job"
        />
      ) : null}
      {result ? <PatchSteps result={result} title={result.ok ? DONE[op] : FAILED[op]} /> : null}
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(o) => {
          if (!o) setConfirm(null);
        }}
        title={confirm === 'reapply' ? 'Reapply the speech-model patches?' : `Restart ${data.container}?`}
        confirmLabel={confirm === 'reapply' ? 'Reapply' : 'Restart'}
        pending={act.isPending}
        error={act.error ? errorMessage(act.error) : null}
        onConfirm={() => confirm && act.mutate(confirm)}
        testId="patches-dialog"
      >
        <p>
          {confirm === 'reapply'
            ? `Backs up each original file in ${data.container} on ${data.node}, copies the ${data.files.length} shipped files in, checks their Python syntax inside the container, restarts it and waits up to 120 s for it to answer. Transcription and diarization fail while it restarts; a file that fails the syntax check stops the reapply before the restart.`
            : `Runs docker restart on ${data.container} on ${data.node}. Transcription and diarization fail until it has reloaded its models.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
