// Services placement: each always-on container (name, node, port, container, kind, API).
import { newId, serviceRowPath, type ServiceRow, type SettingsForm } from './form.js';
import { useSettingState } from './context.js';
import { EnvNote, ProblemNote, SelectSetting, TextSetting } from './SettingField.js';
import type { SetForm } from './types.js';
import { AddRowButton } from './AddRowButton.js';

const KINDS = ['asr', 'tts', 'embeddings', 'bot', 'other'].map((k) => ({ value: k, label: k }));
const APIS = [
  { value: '', label: 'default' },
  { value: 'parakeet-app', label: 'parakeet-app' },
  { value: 'nim', label: 'nim' },
];

export function ServicesSection({ form, setForm }: { form: SettingsForm; setForm: SetForm }) {
  const { envVar } = useSettingState('services');
  const nodeOptions = form.nodes
    .map((n) => n.name.trim())
    .filter(Boolean)
    .map((n) => ({ value: n, label: n }));
  const edit = (id: number, field: keyof ServiceRow, value: string) =>
    setForm((f) => ({ ...f, services: f.services.map((s) => (s.id === id ? { ...s, [field]: value } : s)) }));
  const add = () =>
    setForm((f) => ({
      ...f,
      services: [
        ...f.services,
        {
          id: newId(),
          name: '',
          node: nodeOptions[0]?.value ?? '',
          port: '',
          container: '',
          kind: 'other',
          api: '',
        },
      ],
    }));
  const remove = (id: number) => setForm((f) => ({ ...f, services: f.services.filter((s) => s.id !== id) }));

  return (
    <section className="settings-section" aria-labelledby="settings-services" data-testid="settings-services">
      <h3 className="subhead" id="settings-services">
        Services placement
      </h3>
      <EnvNote path="services" />
      <ProblemNote path="services" />
      {form.services.length === 0 ? <p className="small muted">No services configured.</p> : null}
      {form.services.map((s, i) => {
        const row = serviceRowPath(s);
        const suffix = `(service ${i + 1})`;
        return (
          <div key={s.id} className="settings-row" data-testid={`settings-service-${i}`}>
            <div className="settings-grid settings-grid-services">
              <TextSetting
                path={row}
                label="Name"
                labelSuffix={suffix}
                value={s.name}
                onChange={(v) => edit(s.id, 'name', v)}
              />
              <SelectSetting
                path={`${row}.node`}
                label="Node"
                labelSuffix={suffix}
                value={s.node}
                options={nodeOptions}
                onChange={(v) => edit(s.id, 'node', v)}
              />
              <TextSetting
                path={`${row}.port`}
                label="Port"
                labelSuffix={suffix}
                value={s.port}
                inputMode="numeric"
                onChange={(v) => edit(s.id, 'port', v)}
              />
              <TextSetting
                path={`${row}.container`}
                label="Container"
                labelSuffix={suffix}
                value={s.container}
                placeholder="default"
                onChange={(v) => edit(s.id, 'container', v)}
              />
              <SelectSetting
                path={`${row}.kind`}
                label="Kind"
                labelSuffix={suffix}
                value={s.kind}
                options={KINDS}
                onChange={(v) => edit(s.id, 'kind', v)}
              />
              <SelectSetting
                path={`${row}.api`}
                label="API"
                labelSuffix={suffix}
                value={s.api}
                options={APIS}
                onChange={(v) => edit(s.id, 'api', v)}
              />
              <div className="settings-row-actions">
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={envVar !== undefined}
                  aria-label={`Remove service ${s.name || i + 1}`}
                  data-testid={`settings-remove-service-${i}`}
                  onClick={() => remove(s.id)}
                >
                  Remove
                </button>
              </div>
            </div>
          </div>
        );
      })}
      <AddRowButton label="Add service" testId="settings-add-service" envVar={envVar} onAdd={add} />
    </section>
  );
}
