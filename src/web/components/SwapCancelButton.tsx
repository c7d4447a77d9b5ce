// Cancel a running swap, after saying what that leaves behind.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SwapInfo } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { cancelSwap } from '../api/llm.js';
import { cancelSentence } from '../lib/swap.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function SwapCancelButton({ swap }: { swap: SwapInfo }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const cancel = useMutation({
    mutationFn: () => cancelSwap(swap.id),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
    },
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) cancel.reset();
  };

  return (
    <>
      <button
        type="button"
        className="btn btn-danger"
        data-testid="swap-cancel"
        onClick={() => onOpenChange(true)}
      >
        Cancel
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={`Stop the switch to ${swap.display_name}?`}
        confirmLabel="Stop the switch"
        cancelLabel="Keep switching"
        danger
        pending={cancel.isPending}
        error={cancel.error?.message ?? null}
        onConfirm={() => cancel.mutate()}
        testId="swap-cancel-dialog"
      >
        <p>{cancelSentence(swap)}</p>
      </ConfirmDialog>
    </>
  );
}
