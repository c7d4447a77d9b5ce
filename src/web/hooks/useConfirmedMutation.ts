// A mutation asked for through a ConfirmDialog: opening the dialog clears the last attempt's error,
// success closes it. `dialog` spreads straight into <ConfirmDialog>.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';

interface ConfirmedMutationOptions<T> {
  mutationFn: () => Promise<T>;
  /** Runs after the dialog closed; a returned promise keeps the mutation pending until it settles. */
  onSuccess?: () => unknown;
  onSettled?: () => unknown;
  /** How a failure reads in the dialog. */
  errorText?: (err: Error) => string;
}

export function useConfirmedMutation<T>({ onSuccess, errorText, ...rest }: ConfirmedMutationOptions<T>) {
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    ...rest,
    onSuccess: () => {
      setOpen(false);
      return onSuccess?.();
    },
  });
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) mutation.reset();
  };
  const error = mutation.error ? (errorText ?? ((e: Error) => e.message))(mutation.error) : null;
  return {
    mutation,
    ask: () => onOpenChange(true),
    dialog: { open, onOpenChange, pending: mutation.isPending, error, onConfirm: () => mutation.mutate() },
  };
}
