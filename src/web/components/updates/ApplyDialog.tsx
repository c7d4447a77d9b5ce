// "Apply the update": what it does and how long it takes, a dirty checkout blocking it, and the
// optional smoke test (a catalog model launched with the new image; the loaded model by default).
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { UpdatesResponse } from '../../../common/updates-api.js';
import { useModels } from '../../hooks/llmQueries.js';
import { Modal } from '../Modal.js';
import { applyUpdate } from './updatesApi.js';
import { defaultSmokeModel } from './updatesView.js';

interface Props {
  updates: UpdatesResponse;
  disabled: boolean;
  onStarted: () => void;
}

export function ApplyDialog({ updates, disabled, onStarted }: Props) {
  const [open, setOpen] = useState(false);
  const { data: models } = useModels();
  const [smoke, setSmoke] = useState<string | null>(null);
  const chosen = smoke ?? defaultSmokeModel(models?.models ?? [], models?.loaded_key ?? null);
  const apply = useMutation({
    mutationFn: () => applyUpdate({ smoke_model: chosen || null }),
    onSuccess: () => {
      setOpen(false);
      onStarted();
    },
  });
  const change = (o: boolean) => {
    setOpen(o);
    if (o) {
      apply.reset();
      setSmoke(null);
    }
  };
  return (
    <Modal
      open={open}
      onOpenChange={change}
      title="Apply the launcher update"
      description="Updates spark-vllm-docker, the vLLM orchestration project — not firmware, the OS or a model."
      testId="apply-dialog"
      trigger={
        <button type="button" className="btn btn-primary" disabled={disabled} data-testid="updates-apply">
          Apply…
        </button>
      }
    >
      <div className="stack">
        <p className="small">
          Pulls {updates.behind} new commit{updates.behind === 1 ? '' : 's'} (git pull --ff-only) into the
          launcher checkout on the head node, rebuilds the vLLM container image and copies it to the peer
          Sparks. <strong>It takes 5–40 minutes</strong>; model switches are refused meanwhile. The current
          image is kept first, so the update can be rolled back.
        </p>
        {updates.dirty ? (
          <p className="error-box small" role="alert" data-testid="apply-dirty">
            The launcher checkout has local changes. The update is blocked until they are committed or
            discarded on the head node (git status in the launcher directory), so nothing of yours is
            overwritten.
          </p>
        ) : null}
        <div className="field">
          <label className="field-label" htmlFor="apply-smoke-model">
            Smoke test after the build
          </label>
          <select
            id="apply-smoke-model"
            className="input"
            value={chosen}
            onChange={(e) => setSmoke(e.target.value)}
            data-testid="apply-smoke-model"
          >
            <option value="">none: skip the smoke test</option>
            {(models?.models ?? []).map((m) => (
              <option key={m.key} value={m.key}>
                {m.display_name} ({m.key}){m.key === models?.loaded_key ? ' — loaded now' : ''}
              </option>
            ))}
          </select>
          <p className="field-help">
            Launches this model with the new image and waits until it answers; a failure offers the rollback.
            The model loaded before is switched back afterwards. A small model is quickest.
          </p>
        </div>
        {apply.error ? (
          <p className="error-text" role="alert" data-testid="apply-error">
            {apply.error.message}
          </p>
        ) : null}
        <div className="button-row button-row-end">
          <button type="button" className="btn" onClick={() => change(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={updates.dirty || apply.isPending}
            onClick={() => apply.mutate()}
            data-testid="apply-confirm"
          >
            {apply.isPending ? 'Starting…' : 'Apply the update'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
