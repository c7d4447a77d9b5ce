// Removes a service installed through the NIM installer from the panel; the container too only
// when asked to.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ServiceInfo } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { audioKeys, removeService } from '../../api/services.js';
import { ConfirmDialog } from '../ConfirmDialog.js';

export function RemoveServiceButton({ service }: { service: ServiceInfo }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [withContainer, setWithContainer] = useState(false);
  const remove = useMutation({
    mutationFn: () => removeService(service.name, withContainer),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: audioKeys.services, exact: true });
    },
  });
  return (
    <>
      <button
        type="button"
        className="btn"
        data-testid={`service-remove-${service.name}`}
        aria-label={`Remove ${service.name}`}
        title="Remove this installed service"
        onClick={() => {
          remove.reset();
          setWithContainer(false);
          setOpen(true);
        }}
      >
        Remove
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Remove ${service.name}?`}
        confirmLabel="Remove"
        danger
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => remove.mutate()}
        testId="service-remove-dialog"
      >
        <p>
          {withContainer
            ? `Removes ${service.name} from this panel, and stops and deletes container ${service.container} on ${service.node}. Its model cache volume stays.`
            : `Removes ${service.name} from this panel. Container ${service.container} on ${service.node} keeps running untouched.`}
        </p>
        <label className="toggle">
          <input
            type="checkbox"
            checked={withContainer}
            onChange={(e) => setWithContainer(e.target.checked)}
          />
          Also stop and delete the container
        </label>
      </ConfirmDialog>
    </>
  );
}
