// Start / Restart / Stop for one service: each disabled (with the reason as its tooltip) where it
// would change nothing, and each asking first with a sentence saying exactly what will happen.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ServiceAction, ServiceInfo } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { runServiceAction } from '../../api/services.js';
import { actionAvailability, actionConfirmText } from '../../lib/services.js';
import { ConfirmDialog } from '../ConfirmDialog.js';

const LABEL: Record<ServiceAction, string> = { start: 'Start', restart: 'Restart', stop: 'Stop' };
const ORDER: ServiceAction[] = ['start', 'restart', 'stop'];

interface Props {
  service: ServiceInfo;
  onJob: (id: string) => void;
}

export function ServiceActions({ service, onJob }: Props) {
  const [action, setAction] = useState<ServiceAction | null>(null);
  const run = useMutation({
    mutationFn: (a: ServiceAction) => runServiceAction(service.name, a),
    onSuccess: (id) => {
      onJob(id);
      setAction(null);
    },
  });

  return (
    <>
      {ORDER.map((a) => {
        const avail = actionAvailability(service, a);
        return (
          <button
            key={a}
            type="button"
            className="btn"
            data-testid={`service-${a}-${service.name}`}
            disabled={!avail.enabled}
            title={avail.reason ?? `${LABEL[a]} ${service.container}`}
            aria-label={`${LABEL[a]} ${service.name}`}
            onClick={() => {
              run.reset();
              setAction(a);
            }}
          >
            {LABEL[a]}
          </button>
        );
      })}
      <ConfirmDialog
        open={action !== null}
        onOpenChange={(open) => {
          if (!open) setAction(null);
        }}
        title={action ? `${LABEL[action]} ${service.name}?` : ''}
        confirmLabel={action ? LABEL[action] : ''}
        danger={action === 'stop'}
        pending={run.isPending}
        error={run.error ? errorMessage(run.error) : null}
        onConfirm={() => action && run.mutate(action)}
        testId="service-action-dialog"
      >
        <p>{action ? actionConfirmText(service, action) : null}</p>
      </ConfirmDialog>
    </>
  );
}
