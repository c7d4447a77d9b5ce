// Remove a custom catalog entry, after confirmation. Bundled entries have no delete button.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogModel } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { deleteModel } from '../api/llm.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function DeleteModelButton({ model }: { model: CatalogModel }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteModel(model.key),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
    },
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) remove.reset();
  };

  return (
    <>
      <button
        type="button"
        className="btn btn-danger btn-icon"
        data-testid={`delete-${model.key}`}
        aria-label={`Delete ${model.display_name}`}
        title="Delete this custom model"
        onClick={() => onOpenChange(true)}
      >
        <TrashIcon />
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={`Delete ${model.display_name}?`}
        confirmLabel="Delete"
        danger
        pending={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => remove.mutate()}
        testId="delete-model-dialog"
      >
        <p>
          Removes the custom model <strong>{model.display_name}</strong> (<code>{model.key}</code>) from the
          catalog. Its weights on the Sparks (<code>{model.repo ?? model.path}</code>) are not deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}

function TrashIcon() {
  return (
    <svg width="14" height="16" viewBox="0 0 14 16" aria-hidden="true" fill="none" stroke="currentColor">
      <path d="M1 3.5h12M5 3.5V2h4v1.5M2.5 3.5l.8 10.5h7.4l.8-10.5M5.5 6.5v5M8.5 6.5v5" strokeWidth="1.3" />
    </svg>
  );
}
