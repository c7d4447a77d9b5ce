// Remove a custom catalog entry, after confirmation. Bundled entries have no delete button.
import { useQueryClient } from '@tanstack/react-query';
import type { CatalogModel } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { deleteModel } from '../api/llm.js';
import { useConfirmedMutation } from '../hooks/useConfirmedMutation.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { TrashIcon } from './disk/TrashIcon.js';

export function DeleteModelButton({ model }: { model: CatalogModel }) {
  const client = useQueryClient();
  const remove = useConfirmedMutation({
    mutationFn: () => deleteModel(model.key),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
    },
  });

  return (
    <>
      <button
        type="button"
        className="btn btn-danger btn-icon"
        data-testid={`delete-${model.key}`}
        aria-label={`Delete ${model.display_name}`}
        title="Delete this custom model"
        onClick={remove.ask}
      >
        <TrashIcon />
      </button>
      <ConfirmDialog
        {...remove.dialog}
        title={`Delete ${model.display_name}?`}
        confirmLabel="Delete"
        danger
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
