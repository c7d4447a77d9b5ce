// The matrix-bridge bot's Update: pull the latest code, rebuild and recreate its container, as a
// job whose log streams on the card.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ServiceInfo } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { updateMatrixBridge } from '../../api/services.js';
import { ConfirmDialog } from '../ConfirmDialog.js';

export function BotUpdateButton({ service, onJob }: { service: ServiceInfo; onJob: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const busy = service.job?.state === 'running' || service.docker_state === 'unknown';
  const update = useMutation({
    mutationFn: updateMatrixBridge,
    onSuccess: (id) => {
      onJob(id);
      setOpen(false);
    },
  });
  return (
    <>
      <button
        type="button"
        className="btn"
        data-testid={`bot-update-${service.name}`}
        disabled={busy}
        title={
          busy
            ? 'Not now: a job runs on it, or its node did not answer.'
            : 'Update the bot to the latest code'
        }
        onClick={() => {
          update.reset();
          setOpen(true);
        }}
      >
        Update
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Update ${service.name}?`}
        confirmLabel="Update"
        pending={update.isPending}
        error={update.error ? errorMessage(update.error) : null}
        onConfirm={() => update.mutate()}
        testId="bot-update-dialog"
      >
        <p>
          On {service.node}, fetches the bot's repository, resets the clone to the remote branch, rebuilds its
          image and recreates container {service.container}. That can take several minutes (it is stopped
          after 25); the bot is offline while it restarts. It fails, changing nothing, if the clone has local
          changes or is missing.
        </p>
      </ConfirmDialog>
    </>
  );
}
