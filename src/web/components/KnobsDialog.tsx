// Advanced: the per-model knobs, with help computed from the live memory of the model's first node.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CatalogModel, Knobs, ModelsResponse } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { putKnobs } from '../api/llm.js';
import { useNode, useNodeNames } from '../hooks/queries.js';
import { knobFormFrom, knobsDiff, parseKnobForm, type KnobForm } from '../lib/knobs.js';
import { swapNodes } from '../lib/swap.js';
import { KnobToggles } from './KnobToggles.js';
import { Modal } from './Modal.js';
import { UtilizationField } from './UtilizationField.js';
import { ContextLengthField } from './ContextLengthField.js';
import { displayArgs } from '../lib/visibleText.js';
import { VisibleText } from './VisibleText.js';

export function KnobsDialog({ model }: { model: CatalogModel }) {
  const [open, setOpen] = useState(false);
  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      wide
      title={`Advanced settings: ${model.display_name}`}
      description="These change the vLLM arguments of this model. They apply on the next switch to it."
      testId="knobs-dialog"
      trigger={
        <button type="button" className="btn" data-testid={`advanced-${model.key}`}>
          Advanced
        </button>
      }
    >
      <KnobsForm model={model} onClose={() => setOpen(false)} />
    </Modal>
  );
}

function KnobsForm({ model, onClose }: { model: CatalogModel; onClose: () => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState<KnobForm>(() => knobFormFrom(model.effective_knobs));
  const [saved, setSaved] = useState<CatalogModel | null>(null);
  const { data: names = [] } = useNodeNames();
  const nodes = swapNodes(model.mode, names);
  const { node } = useNode(nodes[0] ?? '');
  const parsed = parseKnobForm(form);
  const base = saved?.effective_knobs ?? model.effective_knobs;
  const diff = parsed.knobs ? knobsDiff(base, parsed.knobs) : null;
  const changed = diff !== null && Object.keys(diff).length > 0;

  const save = useMutation({
    mutationFn: (d: Partial<Knobs>) => putKnobs(model.key, d),
    onSuccess: (updated) => {
      setSaved(updated);
      client.setQueryData<ModelsResponse>(queryKeys.models, (old) =>
        old ? { ...old, models: old.models.map((m) => (m.key === updated.key ? updated : m)) } : old,
      );
      void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
    },
  });

  const update = (patch: Partial<KnobForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(null);
    save.reset();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (diff && changed) save.mutate(diff);
  };

  const weightsGb = model.size_gb / Math.max(1, nodes.length);
  return (
    <form className="stack knobs-form" onSubmit={onSubmit} noValidate>
      <ContextLengthField
        value={form.max_model_len}
        error={parsed.errors.max_model_len}
        parsed={parsed.knobs?.max_model_len ?? null}
        onChange={(v) => update({ max_model_len: v })}
      />
      <UtilizationField
        value={form.gpu_memory_utilization}
        error={parsed.errors.gpu_memory_utilization}
        node={node}
        nodeName={nodes[0] ?? null}
        weightsGb={weightsGb}
        onChange={(v) => update({ gpu_memory_utilization: v })}
      />
      <KnobToggles form={form} onChange={update} />
      {save.error ? (
        <p className="error-text" role="alert">
          {save.error.message}
        </p>
      ) : null}
      {saved ? (
        <div className="ok-box" role="status" data-testid="knobs-saved">
          <p>Saved. This applies on the next switch to {model.display_name}.</p>
          <details className="disclosure">
            <summary>Arguments the next switch passes</summary>
            <pre className="mono-block">
              <VisibleText text={displayArgs(saved.effective_args)} />
            </pre>
          </details>
        </div>
      ) : null}
      <div className="button-row button-row-end">
        <button type="button" className="btn" onClick={onClose}>
          {saved ? 'Close' : 'Cancel'}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="knobs-save"
          disabled={!changed || save.isPending}
        >
          {save.isPending ? 'Saving…' : changed || !parsed.knobs ? 'Save' : 'No changes'}
        </button>
      </div>
    </form>
  );
}
