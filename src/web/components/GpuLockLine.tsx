// "GPU locked by <holder> until <time> — <reason>", with a Release button (confirmed).
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LockResponse } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { releaseLock } from '../api/llm.js';
import { useGpuLock } from '../hooks/llmQueries.js';
import { useNow } from '../hooks/useNow.js';
import { activeLock } from '../lib/lock.js';
import { formatWhen } from '../lib/time.js';
import { ConfirmDialog } from './ConfirmDialog.js';

export function GpuLockLine() {
  const client = useQueryClient();
  const now = useNow();
  const { data, error } = useGpuLock();
  const [open, setOpen] = useState(false);
  const release = useMutation({
    mutationFn: releaseLock,
    onSuccess: () => {
      setOpen(false);
      client.setQueryData<LockResponse>(queryKeys.lock, { locked: false, lock: null });
    },
  });
  const lock = activeLock(data, now);

  if (!lock) {
    return (
      <div className="lock-line" data-testid="gpu-lock" data-locked="false">
        {error && !data ? (
          <span className="small error-text">Couldn't read the GPU lock: {error.message}</span>
        ) : (
          <span className="small muted">GPU not locked: anyone can switch models.</span>
        )}
      </div>
    );
  }

  const until = formatWhen(lock.expires_at, now);
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) release.reset();
  };
  return (
    <div className="lock-line lock-held" data-testid="gpu-lock" data-locked="true">
      <span className="pill pill-warn">locked</span>
      <span className="lock-text">
        GPU locked by <strong>{lock.holder}</strong> until {until}
        {lock.reason ? ` — ${lock.reason}` : ''}
      </span>
      <button type="button" className="btn" data-testid="gpu-lock-release" onClick={() => onOpenChange(true)}>
        Release
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title="Release the GPU lock?"
        confirmLabel="Release the lock"
        danger
        pending={release.isPending}
        error={release.error?.message ?? null}
        onConfirm={() => release.mutate()}
        testId="release-lock-dialog"
      >
        <p>
          Removes <strong>{lock.holder}</strong>'s lock now instead of at {until}. Anyone can then switch
          models, which would interrupt whatever {lock.holder} is running on the GPU. {lock.holder} is not
          told.
        </p>
      </ConfirmDialog>
    </div>
  );
}
