// Trash icon on a model card: deletes the model's weights from the Sparks it runs on (the catalog
// entry stays), after a confirmation naming each node and what it frees. Hidden when nothing of it
// is on those nodes, for the loaded model and for local-path models (never deleted by us).
import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CatalogModel } from '../../../common/api.js';
import type { DiskStatusResponse } from '../../../common/disk-api.js';
import { useConfirmedMutation } from '../../hooks/useConfirmedMutation.js';
import { formatBytes } from '../../lib/format.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { deleteModelDisk, refreshDiskQueries, useDiskStatus } from './diskApi.js';
import { deletePlan } from './diskView.js';
import { TrashIcon } from './TrashIcon.js';

export function DiskDeleteButton({ model, loaded }: { model: CatalogModel; loaded: boolean }) {
  const client = useQueryClient();
  const select = useCallback(
    (r: DiskStatusResponse) => r.models.find((m) => m.key === model.key),
    [model.key],
  );
  const { data } = useDiskStatus(select);
  const remove = useConfirmedMutation({
    mutationFn: () => deleteModelDisk(model.key),
    onSettled: () => refreshDiskQueries(client),
  });
  if (!data || !model.repo || loaded) return null;
  const plan = deletePlan(data);
  if (plan.nodes.length === 0) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-danger btn-icon"
        data-testid={`disk-delete-${model.key}`}
        aria-label={`Delete the weights of ${model.display_name} from disk`}
        title={`Delete the weights from disk (${formatBytes(plan.total)})`}
        onClick={remove.ask}
      >
        <TrashIcon />
      </button>
      <ConfirmDialog
        {...remove.dialog}
        title={`Delete the weights of ${model.display_name}?`}
        confirmLabel={`Delete ${formatBytes(plan.total)}`}
        danger
        testId="disk-delete-dialog"
      >
        <p>
          Removes <code>{model.repo}</code> from the Hugging Face cache on:
        </p>
        <ul data-testid="disk-delete-nodes">
          {plan.nodes.map((n) => (
            <li key={n.node}>
              <strong>{n.node}</strong>: frees {formatBytes(n.bytes)}
            </li>
          ))}
        </ul>
        {plan.unknown.length > 0 ? (
          <p className="warn-text">
            Also tried on {plan.unknown.join(', ')}, whose disk could not be checked.
          </p>
        ) : null}
        <p className="small muted">The catalog entry stays; download the weights again to switch to it.</p>
      </ConfirmDialog>
    </>
  );
}
