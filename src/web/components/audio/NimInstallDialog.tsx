// "+ Install NIM": pick a curated NVIDIA NIM (or type an image), say where it runs, and follow the
// install job (phase, progress, elapsed time, log). The job keeps running if the dialog closes;
// reopening shows it again.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { audioKeys } from '../../api/services.js';
import { Modal } from '../Modal.js';
import { JobView } from './JobView.js';
import { NimInstallForm } from './NimInstallForm.js';

export function NimInstallDialog() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<{ id: string; container: string } | null>(null);
  const [ended, setEnded] = useState(false);

  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      wide
      title="Install an NVIDIA NIM"
      description="Logs in to nvcr.io with the NGC key from the settings (never shown or logged), pulls the image, runs it with the GPU and its cache volume, and waits until it answers."
      testId="nim-install-dialog"
      trigger={
        <button type="button" className="btn" data-testid="nim-install-open">
          + Install NIM
        </button>
      }
    >
      {job ? (
        <div className="stack">
          <JobView
            key={job.id}
            id={job.id}
            title={`Installing ${job.container}`}
            logOpen
            testId="nim-install-job"
            onEnd={() => {
              setEnded(true);
              void client.invalidateQueries({ queryKey: audioKeys.services, exact: true });
              // A failed install that could not remove its container is listed there.
              void client.invalidateQueries({ queryKey: audioKeys.nimInstalls, exact: true });
            }}
          />
          {ended ? (
            <div className="button-row button-row-end">
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setJob(null);
                  setEnded(false);
                }}
              >
                Install another
              </button>
            </div>
          ) : null}
        </div>
      ) : (
        <NimInstallForm onStarted={(id, container) => setJob({ id, container })} />
      )}
    </Modal>
  );
}
