// "Download a model": a Hugging Face repo onto chosen Sparks (hf download in parallel), its live
// per-node progress, and after success the catalog's Add form pre-filled with the repo. A model
// card lacking weights opens it pre-filled with its repo and the nodes that lack them.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { JobInfo } from '../../../common/api.js';
import { onDownloadRequest, type DownloadRequest } from '../../hooks/downloadRequest.js';
import { useNodeNames } from '../../hooks/queries.js';
import type { ModelFormValues } from '../../lib/modelForm.js';
import { AddModelForm } from '../AddModelDialog.js';
import { Field } from '../Field.js';
import { Modal } from '../Modal.js';
import { startDownload } from './api.js';
import { catalogFormFor } from './downloadView.js';
import { DownloadProgress } from './DownloadProgress.js';

const REPO_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function DownloadDialog() {
  const [open, setOpen] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<ModelFormValues | null>(null);
  const [prefill, setPrefill] = useState<DownloadRequest | null>(null);
  useEffect(
    () =>
      onDownloadRequest((request) => {
        setPrefill(request);
        setCatalog(null);
        setJobId(null);
        setOpen(true);
      }),
    [],
  );
  const close = (o: boolean) => {
    setOpen(o);
    if (!o) {
      setCatalog(null);
      setPrefill(null);
    }
  };
  return (
    <Modal
      open={open}
      onOpenChange={close}
      wide
      title={catalog ? 'Add the downloaded model' : 'Download a model'}
      description="Fetches a Hugging Face repo into the HF cache of the chosen Sparks (hf download). Closing this dialog does not stop it."
      testId="download-dialog"
      trigger={
        <button type="button" className="btn" data-testid="download-model" onClick={() => setPrefill(null)}>
          ⤓ Download a model
        </button>
      }
    >
      {catalog ? (
        <AddModelForm initial={catalog} onDone={() => close(false)} />
      ) : (
        <div className="stack">
          <DownloadForm key={prefill?.seq ?? 0} initial={prefill} onStarted={setJobId} />
          {jobId ? (
            <DownloadProgress
              key={jobId}
              jobId={jobId}
              onRetry={setJobId}
              onAddToCatalog={(job: JobInfo) => setCatalog(catalogFormFor(job))}
            />
          ) : null}
        </div>
      )}
    </Modal>
  );
}

function DownloadForm({
  initial,
  onStarted,
}: {
  initial: DownloadRequest | null;
  onStarted: (jobId: string) => void;
}) {
  const { data: names = [] } = useNodeNames();
  const [repo, setRepo] = useState(initial?.repo ?? '');
  const [picked, setPicked] = useState<string[] | null>(initial ? initial.nodes : null);
  const nodes = picked ?? names;
  const start = useMutation({
    mutationFn: () => startDownload(repo.trim(), nodes),
    onSuccess: onStarted,
  });
  const repoError = repo.trim() && !REPO_RE.test(repo.trim()) ? 'Use the Hub id: org/name' : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!repoError && repo.trim() && nodes.length) start.mutate();
  };
  const toggle = (n: string) => setPicked(nodes.includes(n) ? nodes.filter((x) => x !== n) : [...nodes, n]);

  return (
    <form className="stack form-grid" onSubmit={onSubmit} noValidate data-testid="download-form">
      <Field
        label="Hugging Face repo"
        placeholder="Qwen/Qwen3-0.6B"
        help="The repo id as on huggingface.co; gated repos use the configured HF token."
        value={repo}
        testId="download-repo"
        error={repoError}
        onChange={setRepo}
      />
      <fieldset className="field">
        <legend className="field-label">Target Sparks</legend>
        {names.map((n) => (
          <label key={n} className="small">
            <input type="checkbox" checked={nodes.includes(n)} onChange={() => toggle(n)} /> {n}
          </label>
        ))}
      </fieldset>
      {start.error ? (
        <p className="error-text" role="alert">
          {start.error.message}
        </p>
      ) : null}
      <div className="button-row button-row-end">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="download-submit"
          disabled={start.isPending || !repo.trim() || !!repoError || nodes.length === 0}
        >
          {start.isPending ? 'Starting…' : 'Download'}
        </button>
      </div>
    </form>
  );
}
