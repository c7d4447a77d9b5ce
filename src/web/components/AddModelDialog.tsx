// Add a custom model: a Hugging Face repo or a directory on the Spark.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/endpoints.js';
import { createModel } from '../api/llm.js';
import {
  checkModelForm,
  EMPTY_MODEL_FORM,
  type CreateModelBody,
  type ModelFormValues,
} from '../lib/modelForm.js';
import { Field } from './Field.js';
import { Modal } from './Modal.js';
import { ModelSourceFields } from './ModelSourceFields.js';

export function AddModelDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      wide
      title="Add a model"
      description="A custom catalog entry. It can be switched to like the bundled ones; Advanced settings apply as usual."
      testId="add-model-dialog"
      trigger={
        <button type="button" className="btn" data-testid="add-model">
          + Add model
        </button>
      }
    >
      <AddModelForm onDone={() => setOpen(false)} />
    </Modal>
  );
}

/** Also the downloads dialog's "Add to catalog" step, pre-filled with the downloaded repo. */
export function AddModelForm({ onDone, initial }: { onDone: () => void; initial?: ModelFormValues }) {
  const client = useQueryClient();
  const [v, setV] = useState<ModelFormValues>(initial ?? EMPTY_MODEL_FORM);
  const [submitted, setSubmitted] = useState(false);
  const check = checkModelForm(v);
  const errors = submitted ? check.errors : {};
  const create = useMutation({
    mutationFn: (body: CreateModelBody) => createModel(body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
      onDone();
    },
  });

  const set = (patch: Partial<ModelFormValues>) => setV((old) => ({ ...old, ...patch }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (check.body) create.mutate(check.body);
  };
  const text = (name: 'key' | 'display_name' | 'size_gb' | 'description' | 'capabilities') => ({
    value: v[name],
    error: errors[name],
    hint: v[name] ? check.hints[name] : undefined,
    onChange: (value: string) => set({ [name]: value }),
  });

  return (
    <form className="stack form-grid" onSubmit={onSubmit} noValidate data-testid="add-model-form">
      <div className="field-pair">
        <Field label="Key" help="A short id used in URLs and the API, e.g. my-finetune." {...text('key')} />
        <Field label="Display name" help="Shown on the card." {...text('display_name')} />
      </div>
      <ModelSourceFields values={v} errors={errors} hints={check.hints} onChange={set} />
      <div className="field-pair">
        <Field
          label="Size (GB)"
          inputMode="decimal"
          help="The size of the weights, for the memory-fit check."
          {...text('size_gb')}
        />
        <div className="field">
          <label className="field-label" htmlFor="add-model-mode">
            Mode
          </label>
          <select
            id="add-model-mode"
            className="input"
            value={v.mode}
            onChange={(e) => set({ mode: e.target.value === 'cluster' ? 'cluster' : 'solo' })}
          >
            <option value="solo">solo: one Spark</option>
            <option value="cluster">cluster: all Sparks</option>
          </select>
        </div>
      </div>
      <Field
        label="vLLM arguments (optional)"
        multiline
        mono
        placeholder={'--max-num-batched-tokens=16384\n--trust-remote-code'}
        help="One per line, as --flag=value. Advanced settings are added on top."
        value={v.vllm_args}
        hint={check.hints.vllm_args}
        onChange={(value) => set({ vllm_args: value })}
      />
      <Field label="Description (optional)" {...text('description')} />
      <Field
        label="Capabilities (optional)"
        placeholder="vision, tools, reasoning"
        help="Comma-separated; shown as pills."
        {...text('capabilities')}
      />
      {create.error ? (
        <p className="error-text" role="alert">
          {create.error.message}
        </p>
      ) : null}
      {submitted && !check.body ? <p className="error-text">Fix the fields marked above.</p> : null}
      <div className="button-row button-row-end">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="add-model-submit"
          disabled={create.isPending}
        >
          {create.isPending ? 'Adding…' : 'Add model'}
        </button>
      </div>
    </form>
  );
}
