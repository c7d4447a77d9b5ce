// Switch: confirm with exactly what happens (what stops, what loads where, for how long), then
// start the swap. A 409 (another swap, the GPU locked by someone else) is shown in the dialog.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogModel } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { startSwap } from '../api/llm.js';
import { useGpuLock, useModelsSelect, useSwapRunning } from '../hooks/llmQueries.js';
import { useNodeNames } from '../hooks/queries.js';
import { activeLock } from '../lib/lock.js';
import { loadedLabel } from '../lib/models.js';
import { swapNodes, switchSentence } from '../lib/swap.js';
import { formatWhen } from '../lib/time.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { WarningList } from './WarningList.js';

export function SwitchButton({ model }: { model: CatalogModel }) {
  const client = useQueryClient();
  const [openedAt, setOpenedAt] = useState<number | null>(null);
  const swapRunning = useSwapRunning();
  const { data: current = null } = useModelsSelect(loadedLabel);
  const { data: names = [] } = useNodeNames();
  const { data: lockRes } = useGpuLock();
  const start = useMutation({
    mutationFn: () => startSwap(model.key),
    onSuccess: () => {
      setOpenedAt(null);
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
    },
  });

  const open = openedAt !== null;
  const onOpenChange = (next: boolean) => {
    setOpenedAt(next ? Date.now() : null);
    if (next) start.reset();
  };
  const lock = openedAt === null ? null : activeLock(lockRes, openedAt);
  const disabled = model.loaded || swapRunning;
  const title = model.loaded
    ? 'This model is already loaded'
    : swapRunning
      ? 'A switch is running; wait for it to finish or cancel it'
      : `Load ${model.display_name}`;

  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        data-testid={`switch-${model.key}`}
        disabled={disabled}
        title={title}
        onClick={() => onOpenChange(true)}
      >
        Switch
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={`Switch to ${model.display_name}?`}
        confirmLabel="Switch"
        pending={start.isPending}
        error={start.error?.message ?? null}
        onConfirm={() => start.mutate()}
        testId="switch-dialog"
      >
        <p data-testid="switch-sentence">
          {switchSentence({
            current,
            next: model.display_name,
            nodes: swapNodes(model.mode, names),
            expectedS: model.expected_seconds,
          })}
        </p>
        {model.warnings.length > 0 ? (
          <>
            <p className="warn-text">Pre-flight warnings for this model:</p>
            <WarningList warnings={model.warnings} />
          </>
        ) : null}
        {lock ? (
          <p className="warn-text">
            The GPU is locked by {lock.holder} until {formatWhen(lock.expires_at, openedAt ?? 0)}; the server
            refuses switches from anyone else until then.
          </p>
        ) : null}
        <p className="small muted">
          The switch keeps running if you close this page; opening it again shows its progress.
        </p>
      </ConfirmDialog>
    </>
  );
}
