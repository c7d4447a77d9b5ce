// NIM installs that a control-plane restart cut short (or that failed and could not clean up) and
// that are no card: registering is an install's last step, so the container they left would
// otherwise run unseen. Each says what it left, links its job log, and offers to register the
// container as a service or remove it. Nothing shows when there is none (or the server has no
// such endpoint).
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NimInstallNotice } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, settleNimInstall } from '../../api/services.js';
import { useNimInstalls } from '../../hooks/audioQueries.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { LastJobNotice } from './LastJobNotice.js';

export function NimInstallNotices() {
  const { data } = useNimInstalls();
  if (!data || data.installs.length === 0) return null;
  return (
    <section className="card audio-panel" aria-label="Unfinished NIM installs" data-testid="nim-installs">
      <h3 className="model-name">Unfinished NIM installs</h3>
      {data.installs.map((i) => (
        <InstallNotice key={i.job.id} install={i} />
      ))}
    </section>
  );
}

function InstallNotice({ install: i }: { install: NimInstallNotice }) {
  const client = useQueryClient();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const settle = useMutation({
    mutationFn: (how: 'register' | 'remove') => settleNimInstall(i.job.id, how),
    onSuccess: () => {
      setConfirmRemove(false);
      void client.invalidateQueries({ queryKey: audioKeys.nimInstalls, exact: true });
      void client.invalidateQueries({ queryKey: audioKeys.services, exact: true });
    },
  });
  const gone = i.container_state === 'missing';
  const testId = `nim-install-${i.container}`;
  return (
    <div className="stack-tight" data-testid={testId} data-container-state={i.container_state}>
      <LastJobNotice job={i.job} testId={`${testId}-notice`} dismissable={false} />
      <p className="small muted mono">
        {i.container} on {i.node}:{i.port} · {i.image} · docker: {i.container_state}
      </p>
      <div className="button-row">
        {gone ? null : (
          <button
            type="button"
            className="btn"
            data-testid={`${testId}-register`}
            disabled={settle.isPending || i.container_state === 'unknown'}
            onClick={() => settle.mutate('register')}
          >
            Register as a service
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid={`${testId}-remove`}
          disabled={settle.isPending || i.container_state === 'unknown'}
          // Nothing is left to delete: "remove" then only records that the owner has seen it.
          onClick={() => (gone ? settle.mutate('remove') : setConfirmRemove(true))}
        >
          {gone ? 'Dismiss' : 'Remove container'}
        </button>
      </div>
      {settle.error && !confirmRemove ? (
        <p className="small error-text" role="alert">
          {errorMessage(settle.error)}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title={`Remove container ${i.container}?`}
        confirmLabel="Remove"
        danger
        pending={settle.isPending}
        error={settle.error ? errorMessage(settle.error) : null}
        onConfirm={() => settle.mutate('remove')}
        testId="nim-install-remove-dialog"
      >
        <p>
          Stops and deletes container {i.container} on {i.node} (docker rm -f). The pulled image and the model
          cache stay, so installing it again is quick.
        </p>
      </ConfirmDialog>
    </div>
  );
}
