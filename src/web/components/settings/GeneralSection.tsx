// Cluster name, vLLM (which nodes, port, container, launcher directory), the URLs of the
// services Spark Control talks to, and the matrix-bridge user.
import { useId } from 'react';
import { useSettingState } from './context.js';
import type { SettingsForm } from './form.js';
import { EnvNote, ProblemNote, TextSetting } from './SettingField.js';
import type { SetForm } from './types.js';

type Props = { form: SettingsForm; setForm: SetForm };

export function ClusterSection({ form, setForm }: Props) {
  const set = (field: 'cluster_name' | 'matrix_bridge_user') => (v: string) =>
    setForm((f) => ({ ...f, [field]: v }));
  return (
    <section className="settings-section" aria-labelledby="settings-cluster">
      <h3 className="subhead" id="settings-cluster">
        Cluster
      </h3>
      <div className="settings-grid">
        <TextSetting
          path="cluster_name"
          label="Cluster name"
          value={form.cluster_name}
          onChange={set('cluster_name')}
          help="Shown in the top bar."
        />
        <TextSetting
          path="matrix_bridge_user"
          label="Matrix bridge user"
          value={form.matrix_bridge_user}
          onChange={set('matrix_bridge_user')}
          help="SSH user owning ~/matrix-bridge; blank hides the tile."
        />
      </div>
    </section>
  );
}

function VllmNodes({ form, setForm }: Props) {
  const id = useId();
  const { problems, envVar } = useSettingState('vllm.nodes');
  const names = [...new Set([...form.nodes.map((n) => n.name.trim()).filter(Boolean), ...form.vllm.nodes])];
  const toggle = (name: string, on: boolean) =>
    setForm((f) => ({
      ...f,
      vllm: { ...f.vllm, nodes: on ? [...f.vllm.nodes, name] : f.vllm.nodes.filter((n) => n !== name) },
    }));
  return (
    <fieldset className="field settings-field" data-testid="field-vllm.nodes" aria-describedby={`${id}-h`}>
      <legend className="field-label">vLLM nodes</legend>
      <div className="radio-row">
        {names.length === 0 ? <span className="small muted">No nodes named yet.</span> : null}
        {names.map((name) => (
          <label key={name} className="toggle">
            <input
              type="checkbox"
              checked={form.vllm.nodes.includes(name)}
              disabled={envVar !== undefined}
              data-testid={`setting-vllm.nodes-${name}`}
              onChange={(e) => toggle(name, e.target.checked)}
            />
            {name}
          </label>
        ))}
      </div>
      <p className="field-help" id={`${id}-h`}>
        {envVar ? `set by ${envVar}` : 'The first is the head node; more than one runs vLLM as a cluster.'}
      </p>
      {problems.map((m, i) => (
        <p key={i} className="field-help error-text" role="alert" data-testid="problem-vllm.nodes">
          {m}
        </p>
      ))}
    </fieldset>
  );
}

export function VllmSection({ form, setForm }: Props) {
  const set = (field: 'port' | 'container' | 'launcher_dir') => (v: string) =>
    setForm((f) => ({ ...f, vllm: { ...f.vllm, [field]: v } }));
  return (
    <section className="settings-section" aria-labelledby="settings-vllm">
      <h3 className="subhead" id="settings-vllm">
        vLLM
      </h3>
      <EnvNote path="vllm" />
      <ProblemNote path="vllm" />
      <VllmNodes form={form} setForm={setForm} />
      <div className="settings-grid">
        <TextSetting
          path="vllm.port"
          label="Port"
          value={form.vllm.port}
          inputMode="numeric"
          placeholder="8888"
          onChange={set('port')}
        />
        <TextSetting
          path="vllm.container"
          label="Container"
          value={form.vllm.container}
          placeholder="default"
          onChange={set('container')}
        />
        <TextSetting
          path="vllm.launcher_dir"
          label="Launcher directory"
          value={form.vllm.launcher_dir}
          mono
          placeholder="~/spark-vllm-docker"
          onChange={set('launcher_dir')}
        />
      </div>
    </section>
  );
}

const URLS = [
  { field: 'embeddings_url', label: 'Embeddings URL' },
  { field: 'qdrant_url', label: 'Qdrant URL' },
  { field: 'open_webui_url', label: 'Open WebUI URL', help: 'Adds "Open chat ↗" to the top bar.' },
] as const;

export function UrlsSection({ form, setForm }: Props) {
  return (
    <section className="settings-section" aria-labelledby="settings-urls">
      <h3 className="subhead" id="settings-urls">
        Services on the LAN
      </h3>
      <div className="settings-grid">
        {URLS.map((u) => (
          <TextSetting
            key={u.field}
            path={u.field}
            label={u.label}
            value={form[u.field]}
            mono
            type="url"
            placeholder="http://192.0.2.10:8080"
            help={'help' in u ? u.help : undefined}
            onChange={(v) => setForm((f) => ({ ...f, [u.field]: v }))}
          />
        ))}
      </div>
    </section>
  );
}
