// API keys for /v1 (name, write-only key, always-redact) and the swap webhooks.
import { useSettingState } from './context.js';
import { newId, type ApiKeyRow, type SettingsForm } from './form.js';
import { EnvNote, ProblemNote, TextSetting } from './SettingField.js';
import type { SetForm } from './types.js';
import { AddRowButton } from './AddRowButton.js';

type Props = { form: SettingsForm; setForm: SetForm };

export function ApiKeysSection({ form, setForm }: Props) {
  const { envVar } = useSettingState('api_keys');
  const edit = (id: number, patch: Partial<ApiKeyRow>) =>
    setForm((f) => ({ ...f, api_keys: f.api_keys.map((k) => (k.id === id ? { ...k, ...patch } : k)) }));
  const add = () =>
    setForm((f) => ({
      ...f,
      api_keys: [...f.api_keys, { id: newId(), name: '', key: '', stored: false, always_redact: false }],
    }));
  return (
    <section className="settings-section" aria-labelledby="settings-api-keys" data-testid="settings-api-keys">
      <h3 className="subhead" id="settings-api-keys">
        API keys
      </h3>
      <p className="small muted">
        When any key exists, every /v1 request needs `Authorization: Bearer &lt;key&gt;`.
      </p>
      <EnvNote path="api_keys" />
      <ProblemNote path="api_keys" />
      {form.api_keys.map((k, i) => (
        <div key={k.id} className="settings-row" data-testid={`settings-api-key-${i}`}>
          <div className="settings-grid settings-grid-keys">
            <TextSetting
              path={`api_keys.${i}.name`}
              label="Name"
              labelSuffix={`(API key ${i + 1})`}
              value={k.name}
              onChange={(name) => edit(k.id, { name })}
            />
            <TextSetting
              path={`api_keys.${i}.key`}
              label="Key"
              labelSuffix={`(API key ${i + 1})`}
              type="password"
              mono
              value={k.key}
              placeholder={k.stored ? 'set — type to replace' : 'required'}
              onChange={(key) => edit(k.id, { key })}
            />
            <div className="settings-row-actions">
              <span
                className={k.stored ? 'pill pill-ok' : 'pill pill-muted'}
                data-testid={`secret-api_keys.${i}.key`}
              >
                {k.key !== '' ? (k.stored ? 'will be replaced' : 'new') : k.stored ? 'set' : 'not set'}
              </span>
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={k.always_redact}
                  disabled={envVar !== undefined}
                  data-testid={`setting-api_keys.${i}.always_redact`}
                  onChange={(e) => edit(k.id, { always_redact: e.target.checked })}
                />
                Always redact
              </label>
              <button
                type="button"
                className="btn btn-danger"
                disabled={envVar !== undefined}
                aria-label={`Remove API key ${k.name || i + 1}`}
                data-testid={`settings-remove-api-key-${i}`}
                onClick={() => setForm((f) => ({ ...f, api_keys: f.api_keys.filter((x) => x.id !== k.id) }))}
              >
                Remove
              </button>
            </div>
          </div>
          <ProblemNote path={`api_keys.${i}`} />
        </div>
      ))}
      <AddRowButton label="Add API key" testId="settings-add-api-key" envVar={envVar} onAdd={add} />
    </section>
  );
}

export function WebhooksSection({ form, setForm }: Props) {
  const { envVar } = useSettingState('webhooks');
  return (
    <section className="settings-section" aria-labelledby="settings-webhooks" data-testid="settings-webhooks">
      <h3 className="subhead" id="settings-webhooks">
        Webhooks
      </h3>
      <p className="small muted">URLs that receive swap_complete / swap_failed as JSON.</p>
      <EnvNote path="webhooks" />
      <ProblemNote path="webhooks" />
      {form.webhooks.map((w, i) => (
        <div key={w.id} className="settings-inline">
          <TextSetting
            path={`webhooks.${i}`}
            label={`Webhook URL ${i + 1}`}
            hideLabel
            type="url"
            mono
            value={w.url}
            placeholder="http://192.0.2.20/hook"
            onChange={(url) =>
              setForm((f) => ({ ...f, webhooks: f.webhooks.map((x) => (x.id === w.id ? { ...x, url } : x)) }))
            }
          />
          <button
            type="button"
            className="btn btn-danger"
            disabled={envVar !== undefined}
            aria-label={`Remove webhook ${i + 1}`}
            data-testid={`settings-remove-webhook-${i}`}
            onClick={() => setForm((f) => ({ ...f, webhooks: f.webhooks.filter((x) => x.id !== w.id) }))}
          >
            Remove
          </button>
        </div>
      ))}
      <AddRowButton
        label="Add webhook"
        testId="settings-add-webhook"
        envVar={envVar}
        onAdd={() => setForm((f) => ({ ...f, webhooks: [...f.webhooks, { id: newId(), url: '' }] }))}
      />
    </section>
  );
}
