// The Audio lab (issue 11): send a recording for diarized transcription, follow it chunk by
// chunk, read who said what, name speakers ("This is Alice") and keep the speaker library.
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client.js';
import { ErrorBoundary } from '../../ErrorBoundary.js';
import { startTranscription, type TranscribeOptions, type Upload } from './labApi.js';
import { hasResult, readRun, writeRun, type LabRun, type RunOutcome } from './labRun.js';
import { LabJob } from './LabJob.js';
import { SpeakerLibrary } from './SpeakerLibrary.js';
import { TranscriptView } from './TranscriptView.js';
import { UploadForm } from './UploadForm.js';
import './lab.css';

interface Uploading {
  file_name: string;
  file_bytes: number;
  fraction: number;
}

export function AudioLabPanel() {
  const [run, setRunState] = useState<LabRun | null>(readRun);
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useRef<Upload | null>(null);

  const setRun = useCallback((next: LabRun | null) => {
    setRunState(next);
    writeRun(next);
  }, []);

  const submit = (file: File, opts: TranscribeOptions) => {
    setError(null);
    setUploading({ file_name: file.name, file_bytes: file.size, fraction: 0 });
    const u = startTranscription(file, opts, (fraction) =>
      setUploading((cur) => (cur ? { ...cur, fraction } : cur)),
    );
    upload.current = u;
    u.done.then(
      (accepted) => {
        upload.current = null;
        setUploading(null);
        setRun({ ...accepted, file_name: file.name, file_bytes: file.size, outcome: null });
      },
      (e: unknown) => {
        upload.current = null;
        setUploading(null);
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(errorMessage(e));
      },
    );
  };

  const onEnd = useCallback((jobId: string, outcome: RunOutcome) => {
    setRunState((cur) => {
      if (!cur || cur.job_id !== jobId || cur.outcome === outcome) return cur;
      const next = { ...cur, outcome };
      writeRun(next);
      return next;
    });
  }, []);

  const busy = uploading !== null || (run !== null && run.outcome === null);
  return (
    <section className="card audio-panel lab-panel" aria-labelledby="lab-title" data-testid="audio-lab">
      <header className="card-title-row">
        <h3 className="model-name" id="lab-title">
          Audio lab
        </h3>
        <span className="small muted">Who said what, in any recording</span>
      </header>
      <UploadForm busy={busy} onSubmit={submit} />
      {error ? (
        <p className="error-box small" role="alert" data-testid="lab-error">
          {error}
        </p>
      ) : null}
      {uploading ? <UploadProgress uploading={uploading} onCancel={() => upload.current?.abort()} /> : null}
      {run ? (
        <ErrorBoundary what="transcription">
          <LabJob key={`job-${run.job_id}`} run={run} onEnd={onEnd} onDismiss={() => setRun(null)} />
          {hasResult(run) ? <TranscriptView key={`result-${run.job_id}`} run={run} /> : null}
        </ErrorBoundary>
      ) : null}
      <ErrorBoundary what="speaker library">
        <SpeakerLibrary />
      </ErrorBoundary>
    </section>
  );
}

function UploadProgress({ uploading, onCancel }: { uploading: Uploading; onCancel: () => void }) {
  const pct = Math.round(uploading.fraction * 100);
  return (
    <div className="stack-tight" data-testid="lab-upload">
      <div className="card-title-row">
        <span className="small">Uploading {uploading.file_name}…</span>
        <span className="small muted mono">{pct} %</span>
        <button type="button" className="btn" onClick={onCancel} data-testid="lab-upload-cancel">
          Cancel
        </button>
      </div>
      <div
        className="bar swap-bar"
        role="progressbar"
        aria-label={`Upload of ${uploading.file_name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
