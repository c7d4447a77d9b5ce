// Secrets (NGC key, Hugging Face token, Qdrant API key, /metrics token): write-only. The page only ever knows
// whether one is set; the owner can type a replacement or clear it.
import { useSettingState } from './context.js';
import type { SecretField, SettingsForm } from './form.js';
import { TextSetting } from './SettingField.js';
import type { SetForm } from './types.js';

const SECRETS = [
  { id: 'ngc_api_key', path: 'secrets.ngc_api_key', label: 'NGC API key', help: 'For NIM installs.' },
  { id: 'hf_token', path: 'secrets.hf_token', label: 'Hugging Face token', help: 'For gated downloads.' },
  {
    id: 'qdrant_api_key',
    path: 'secrets.qdrant_api_key',
    label: 'Qdrant API key',
    help: 'For vector search when Qdrant runs with QDRANT__SERVICE__API_KEY.',
  },
  {
    id: 'metrics_token',
    path: 'metrics.token',
    label: 'Metrics token',
    help: 'When set, GET /metrics needs it as a bearer token (16+ characters).',
  },
] as const;

function status(f: SecretField): string {
  if (f.action === 'clear') return 'will be cleared';
  if (f.action === 'replace' && f.value !== '') return f.stored ? 'will be replaced' : 'will be set';
  return f.stored ? 'set' : 'not set';
}

function SecretRow({
  spec,
  field,
  onChange,
}: {
  spec: (typeof SECRETS)[number];
  field: SecretField;
  onChange: (f: SecretField) => void;
}) {
  const { envVar } = useSettingState(spec.path);
  return (
    <div className="settings-inline" data-testid={`secret-row-${spec.path}`}>
      <TextSetting
        path={spec.path}
        label={spec.label}
        help={spec.help}
        type="password"
        mono
        value={field.action === 'replace' ? field.value : ''}
        placeholder={field.stored ? 'set — type to replace' : 'not set — type to set'}
        disabled={field.action === 'clear'}
        onChange={(value) => onChange({ ...field, action: value === '' ? 'keep' : 'replace', value })}
      />
      <span className={field.stored ? 'pill pill-ok' : 'pill pill-muted'} data-testid={`secret-${spec.path}`}>
        {status(field)}
      </span>
      {field.action === 'keep' && field.stored && !envVar ? (
        <button
          type="button"
          className="btn btn-danger"
          data-testid={`secret-clear-${spec.path}`}
          onClick={() => onChange({ ...field, action: 'clear', value: '' })}
        >
          Clear
        </button>
      ) : null}
      {field.action !== 'keep' ? (
        <button
          type="button"
          className="btn"
          data-testid={`secret-keep-${spec.path}`}
          onClick={() => onChange({ ...field, action: 'keep', value: '' })}
        >
          Keep current
        </button>
      ) : null}
    </div>
  );
}

export function SecretsSection({ form, setForm }: { form: SettingsForm; setForm: SetForm }) {
  return (
    <section className="settings-section" aria-labelledby="settings-secrets" data-testid="settings-secrets">
      <h3 className="subhead" id="settings-secrets">
        Secrets
      </h3>
      <p className="small muted">Write-only: a stored secret is never shown, only whether it is set.</p>
      {SECRETS.map((s) => (
        <SecretRow
          key={s.id}
          spec={s}
          field={form.secrets[s.id]}
          onChange={(field) => setForm((f) => ({ ...f, secrets: { ...f.secrets, [s.id]: field } }))}
        />
      ))}
    </section>
  );
}
