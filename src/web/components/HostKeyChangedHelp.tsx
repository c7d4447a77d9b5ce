// host_key_changed: explain, and offer to trust the new key after confirmation.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NodeHardware } from '../../common/api.js';
import { queryKeys, retrustNode } from '../api/endpoints.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function HostKeyChangedHelp({ node }: { node: NodeHardware }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const retrust = useMutation({
    mutationFn: () => retrustNode(node.name),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: queryKeys.hardware, exact: true });
    },
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) retrust.reset();
  };

  return (
    <>
      <p>
        The Spark at <code>{node.host}</code> presented a different SSH host key from the one Spark Control
        pinned when it first connected, so Spark Control refuses to connect. This is expected after
        reinstalling the Spark's operating system or regenerating its SSH host keys. If neither happened,
        something between Spark Control and the Spark may be impersonating it (a man-in-the-middle).
      </p>
      <p>
        To compare, on the Spark run <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-danger"
          data-testid={`retrust-${node.name}`}
          onClick={() => onOpenChange(true)}
        >
          Trust the new key
        </button>
        {retrust.isSuccess ? (
          <span className="small muted" role="status">
            New key accepted; reconnecting on the next probe…
          </span>
        ) : null}
      </div>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={`Trust the new host key of ${node.name}?`}
        confirmLabel="Trust the new key"
        danger
        pending={retrust.isPending}
        error={retrust.error?.message ?? null}
        onConfirm={() => retrust.mutate()}
        testId="retrust-dialog"
      >
        <p>
          Spark Control will forget the host key it pinned for <strong>{node.name}</strong> (
          <code>{node.host}</code>). On its next connection, within a few seconds, it will accept and pin
          whatever key the Spark presents then, and from then on trust only that key.
        </p>
        <p>
          Only do this if you know why the key changed, for example because you reinstalled the Spark. If
          someone is intercepting the connection, Spark Control would be trusting them.
        </p>
      </ConfirmDialog>
    </>
  );
}
