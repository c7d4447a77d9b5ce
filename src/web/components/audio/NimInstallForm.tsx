// The install form: filled by a catalog pick, checked here, checked again by the server (whose
// answer is shown as returned, e.g. a missing NGC key naming the setting).
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { NimInstallRequest } from '../../../common/services-api.js';
import { errorMessage } from '../../api/client.js';
import { installNim } from '../../api/services.js';
import { useMeta } from '../../hooks/queries.js';
import {
  checkNimForm,
  EMPTY_NIM_FORM,
  formFromCatalog,
  withPort,
  type NimFormValues,
} from '../../lib/nimForm.js';
import { Field } from '../Field.js';
import { NimCatalogList } from './NimCatalogList.js';

export function NimInstallForm({ onStarted }: { onStarted: (jobId: string, container: string) => void }) {
  const nodes = useMeta().data?.nodes ?? [];
  const nodeId = useId();
  const [v, setV] = useState<NimFormValues>(EMPTY_NIM_FORM);
  const [submitted, setSubmitted] = useState(false);
  const node = v.node || nodes[0]?.name || '';
  const check = checkNimForm({ ...v, node });
  const errors = submitted ? check.errors : {};
  const install = useMutation({
    mutationFn: (body: NimInstallRequest) => installNim(body),
    onSuccess: (id, body) => onStarted(id, body.container),
  });
  const set = (patch: Partial<NimFormValues>) => setV((old) => ({ ...old, ...patch }));
  const text = (name: 'image' | 'container' | 'port' | 'volume' | 'env') => ({
    value: v[name],
    error: errors[name],
    onChange: (value: string) =>
      name === 'port' ? setV((old) => withPort(old, value)) : set({ [name]: value }),
    testId: `nim-${name}`,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (check.body) install.mutate(check.body);
  };

  return (
    <form className="stack form-grid" onSubmit={onSubmit} noValidate data-testid="nim-install-form">
      <NimCatalogList
        onPick={(entry) => {
          setSubmitted(false);
          setV(formFromCatalog(entry, node));
        }}
      />
      <Field label="Image" mono help="e.g. nvcr.io/nim/nvidia/…:tag" {...text('image')} />
      <div className="field-pair">
        <Field label="Container name" mono {...text('container')} />
        <Field
          label="Port"
          inputMode="numeric"
          help="Published on the node as the same port."
          {...text('port')}
        />
      </div>
      <Field
        label="Cache volume"
        mono
        help="A docker volume or a path on the node (/… or ~/…), mounted at /opt/nim/.cache; its owner is set to uid 1000."
        {...text('volume')}
      />
      <Field
        label="Environment"
        mono
        multiline
        help="One NAME=value per line. NGC_API_KEY is added from the settings."
        {...text('env')}
      />
      <div className="field">
        <label className="field-label" htmlFor={nodeId}>
          Node
        </label>
        <select
          id={nodeId}
          className="input"
          value={node}
          data-testid="nim-node"
          onChange={(e) => set({ node: e.target.value })}
        >
          {nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name} ({n.host})
            </option>
          ))}
        </select>
        {errors.node ? <p className="field-help error-text">{errors.node}</p> : null}
      </div>
      <label className="toggle">
        <input
          type="checkbox"
          checked={v.register}
          data-testid="nim-register"
          onChange={(e) => set({ register: e.target.checked })}
        />
        Add it to the services on this tab (health, deep check, logs)
      </label>
      {install.error ? (
        <p className="error-box small" role="alert" data-testid="nim-install-error">
          {errorMessage(install.error)}
        </p>
      ) : null}
      <div className="button-row button-row-end">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="nim-install-submit"
          disabled={install.isPending}
        >
          {install.isPending ? 'Starting…' : 'Install'}
        </button>
      </div>
    </form>
  );
}
