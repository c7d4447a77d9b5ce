// Where a custom model's weights come from: a Hugging Face repo or a directory on the Spark.
import type { FormField, ModelFormValues } from '../lib/modelForm.js';
import { Field } from './Field.js';

interface Props {
  values: ModelFormValues;
  errors: Partial<Record<FormField, string>>;
  hints: Partial<Record<FormField, string>>;
  onChange: (patch: Partial<ModelFormValues>) => void;
}

export function ModelSourceFields({ values, errors, hints, onChange }: Props) {
  const repo = values.source === 'repo';
  return (
    <fieldset className="field source-fields">
      <legend className="field-label">Source</legend>
      <div className="radio-row" role="radiogroup">
        <label className="radio">
          <input
            type="radio"
            name="model-source"
            checked={repo}
            data-testid="source-repo"
            onChange={() => onChange({ source: 'repo' })}
          />
          Hugging Face repo
        </label>
        <label className="radio">
          <input
            type="radio"
            name="model-source"
            checked={!repo}
            data-testid="source-path"
            onChange={() => onChange({ source: 'path' })}
          />
          Local path on the Spark
        </label>
      </div>
      {repo ? (
        <Field
          label="Repository"
          mono
          placeholder="org/name"
          help="The Hugging Face id, e.g. Qwen/Qwen3-32B-FP8."
          value={values.repo}
          error={errors.repo}
          onChange={(value) => onChange({ repo: value })}
          testId="add-model-repo"
        />
      ) : (
        <Field
          label="Directory on the Spark"
          mono
          placeholder="~/models/my-finetune"
          help="~/models/my-finetune or an absolute path; served with vllm serve <path>."
          value={values.path}
          error={errors.path}
          hint={values.path ? hints.path : undefined}
          onChange={(value) => onChange({ path: value })}
          testId="add-model-path"
        />
      )}
    </fieldset>
  );
}
