// Switch: confirm with exactly what happens (what stops, what loads where, for how long), then
// start the swap and bring its panel into view. Disabled, saying why, while the model is loaded,
// a swap runs, or someone else holds the GPU lock (the server would refuse with 409). A 409 that
// still happens (the lock taken while the dialog is open) is shown in the dialog; a refusal for
// missing weights (409 weights_missing) offers their download right there.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogModel } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { ApiError } from '../api/client.js';
import { startSwap } from '../api/llm.js';
import { requestDownload } from '../hooks/downloadRequest.js';
import { useGpuLock, useModelsSelect, useSwapRunning } from '../hooks/llmQueries.js';
import { useDownNodes, useNodeNames } from '../hooks/queries.js';
import { requestSwapFocus } from '../hooks/swapFocus.js';
import { useNow } from '../hooks/useNow.js';
import { activeLock, lockSentence } from '../lib/lock.js';
import { loadedLabel } from '../lib/models.js';
import { joinNames, swapNodes, switchSentence } from '../lib/swap.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { downloadOffer } from './disk/diskView.js';
import { WarningList } from './WarningList.js';

export function SwitchButton({ model }: { model: CatalogModel }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const swapRunning = useSwapRunning();
  const { data: current = null } = useModelsSelect(loadedLabel);
  const { data: names = [] } = useNodeNames();
  const { data: lockRes } = useGpuLock();
  const nodes = swapNodes(model.mode, names);
  const down = useDownNodes().filter((n) => nodes.includes(n));
  // Ticks so an expired lock frees the buttons even if its "released" event was missed.
  const now = useNow();
  const start = useMutation({
    mutationFn: () => startSwap(model.key),
    onSuccess: ({ id }) => {
      setOpen(false);
      requestSwapFocus(id);
      void client.invalidateQueries({ queryKey: queryKeys.swapCurrent, exact: true });
    },
  });

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) start.reset();
  };
  const offer = start.error instanceof ApiError ? downloadOffer(start.error.details) : null;
  const lock = activeLock(lockRes, now);
  const lockedWhy = lock ? lockSentence(lock, now) : null;
  const downWhy =
    down.length > 0
      ? `${joinNames(down)} ${down.length > 1 ? 'are' : 'is'} unreachable; the switch cannot start there until it answers`
      : null;
  const disabled = model.loaded || swapRunning || lock !== null || downWhy !== null;
  const why = model.loaded
    ? 'This model is already loaded'
    : swapRunning
      ? 'A switch is running; wait for it to finish or cancel it'
      : (lockedWhy ?? downWhy);

  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        data-testid={`switch-${model.key}`}
        disabled={disabled}
        title={why ?? `Load ${model.display_name}`}
        onClick={() => onOpenChange(true)}
      >
        Switch
      </button>
      {(lock || downWhy) && !model.loaded && !swapRunning ? (
        <span className="small warn-text switch-why" data-testid={`switch-why-${model.key}`}>
          {lock ? `GPU locked by ${lock.holder}` : `${joinNames(down)} unreachable`}
        </span>
      ) : null}
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
            nodes,
            expectedS: model.expected_seconds,
          })}
        </p>
        {model.warnings.length > 0 ? (
          <>
            <p className="warn-text">Pre-flight warnings for this model:</p>
            <WarningList warnings={model.warnings} />
          </>
        ) : null}
        {lockedWhy ? <p className="warn-text">{lockedWhy}</p> : null}
        {offer ? (
          <button
            type="button"
            className="btn"
            data-testid="switch-download"
            onClick={() => {
              setOpen(false);
              requestDownload(offer.repo, offer.nodes);
            }}
          >
            Download to {joinNames(offer.nodes)}
          </button>
        ) : null}
        <p className="small muted">
          The switch keeps running if you close this page; opening it again shows its progress.
        </p>
      </ConfirmDialog>
    </>
  );
}
