// Confirmation for actions that change something: says exactly what will happen, then asks.
import type { ReactNode } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import { Modal } from './Modal.js';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What will happen, in full sentences. */
  children: ReactNode;
  confirmLabel: string;
  /** The button that closes without acting ("Cancel" unless the action is itself a cancel). */
  cancelLabel?: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null;
  danger?: boolean;
  testId?: string;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const {
    open,
    onOpenChange,
    title,
    children,
    confirmLabel,
    cancelLabel,
    onConfirm,
    pending,
    error,
    danger,
    testId,
  } = props;
  return (
    <Modal open={open} onOpenChange={onOpenChange} title={title} testId={testId ?? 'confirm-dialog'}>
      <div className="stack">
        <div className="confirm-text">{children}</div>
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="button-row button-row-end">
          <Dialog.Close asChild>
            <button type="button" className="btn" data-testid="confirm-dismiss">
              {cancelLabel ?? 'Cancel'}
            </button>
          </Dialog.Close>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            onClick={onConfirm}
            disabled={pending}
            data-testid="confirm-action"
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
