// Cancel a running swap, after saying what that leaves behind.
import { useQueryClient } from '@tanstack/react-query';
import type { SwapInfo } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { cancelSwap } from '../api/llm.js';
import { useConfirmedMutation } from '../hooks/useConfirmedMutation.js';
import { cancelSentence } from '../lib/swap.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function SwapCancelButton({ swap }: { swap: SwapInfo }) {
  const client = useQueryClient();
  const cancel = useConfirmedMutation({
    mutationFn: () => cancelSwap(swap.id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
    },
  });

  return (
    <>
      <button type="button" className="btn btn-danger" data-testid="swap-cancel" onClick={cancel.ask}>
        Cancel
      </button>
      <ConfirmDialog
        {...cancel.dialog}
        title={`Stop the switch to ${swap.display_name}?`}
        confirmLabel="Stop the switch"
        cancelLabel="Keep switching"
        danger
        testId="swap-cancel-dialog"
      >
        <p>{cancelSentence(swap)}</p>
      </ConfirmDialog>
    </>
  );
}
