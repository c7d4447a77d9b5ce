// Nodes: one row per Spark (name, host, SSH user and port, QSFP address, MAC). Removing a row asks
// first; nothing changes on the server until Save.
import { useContext, useState } from 'react';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { SettingsContext, useSettingState } from './context.js';
import { newId, type NodeRow, type SettingsForm } from './form.js';
import { envWithin } from './problems.js';
import { EnvNote, ProblemNote, TextSetting } from './SettingField.js';
import type { SetForm } from './types.js';
import { AddRowButton } from './AddRowButton.js';

const COLUMNS: { field: keyof Omit<NodeRow, 'id'>; label: string; placeholder?: string; mono?: boolean }[] = [
  { field: 'name', label: 'Name', placeholder: 'spark1' },
  { field: 'host', label: 'Host', placeholder: 'spark1.local', mono: true },
  { field: 'user', label: 'SSH user', placeholder: 'alice' },
  { field: 'ssh_port', label: 'SSH port', placeholder: '22' },
  { field: 'qsfp_ip', label: 'QSFP address', placeholder: 'optional', mono: true },
  { field: 'mac', label: 'MAC', placeholder: 'optional', mono: true },
];

export function NodesSection({
  form,
  setForm,
  simulated,
}: {
  form: SettingsForm;
  setForm: SetForm;
  simulated: boolean;
}) {
  const { envVar } = useSettingState('nodes');
  const { env } = useContext(SettingsContext);
  const [removing, setRemoving] = useState<number | null>(null);
  const target = form.nodes.findIndex((n) => n.id === removing);
  const edit = (id: number, field: keyof NodeRow, value: string) =>
    setForm((f) => ({ ...f, nodes: f.nodes.map((n) => (n.id === id ? { ...n, [field]: value } : n)) }));
  const add = () =>
    setForm((f) => ({
      ...f,
      nodes: [...f.nodes, { id: newId(), name: '', host: '', user: '', ssh_port: '', qsfp_ip: '', mac: '' }],
    }));
  const remove = (id: number) => {
    setForm((f) => ({ ...f, nodes: f.nodes.filter((n) => n.id !== id) }));
    setRemoving(null);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-nodes" data-testid="settings-nodes">
      <h3 className="subhead" id="settings-nodes">
        Nodes
      </h3>
      <EnvNote path="nodes" />
      <ProblemNote path="nodes" />
      {simulated ? (
        <p className="small banner banner-info" data-testid="settings-simulated">
          The simulated cluster is running because no nodes are configured. Adding a node and saving switches
          Spark Control to your real cluster after a restart.
        </p>
      ) : null}
      {form.nodes.length === 0 ? <p className="small muted">No nodes configured.</p> : null}
      {form.nodes.map((n, i) => (
        <div key={n.id} className="settings-row" data-testid={`settings-node-${i}`}>
          <div className="settings-grid settings-grid-nodes">
            {COLUMNS.map((c) => (
              <TextSetting
                key={c.field}
                path={`nodes.${i}.${c.field}`}
                label={c.label}
                labelSuffix={`(node ${i + 1})`}
                value={n[c.field]}
                placeholder={c.placeholder}
                mono={c.mono}
                inputMode={c.field === 'ssh_port' ? 'numeric' : undefined}
                onChange={(v) => edit(n.id, c.field, v)}
              />
            ))}
            <div className="settings-row-actions">
              <button
                type="button"
                className="btn btn-danger"
                // A node the environment makes (SPARK<n>_*) can only go by unsetting those variables.
                disabled={envWithin(`nodes.${i}`, env) !== undefined}
                title={envWithin(`nodes.${i}`, env) ? `Set by ${envWithin(`nodes.${i}`, env)}` : undefined}
                aria-label={`Remove node ${n.name || i + 1}`}
                data-testid={`settings-remove-node-${i}`}
                onClick={() => setRemoving(n.id)}
              >
                Remove
              </button>
            </div>
          </div>
          <ProblemNote path={`nodes.${i}`} />
        </div>
      ))}
      <AddRowButton label="Add node" testId="settings-add-node" envVar={envVar} onAdd={add} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => (o ? undefined : setRemoving(null))}
        title="Remove node"
        confirmLabel="Remove node"
        danger
        testId="settings-remove-node-confirm"
        onConfirm={() => removing !== null && remove(removing)}
      >
        <p>
          Remove <strong>{form.nodes[target]?.name || `node ${target + 1}`}</strong> from the settings?
          Nothing changes on the server until you save; then Spark Control stops watching this Spark, and vLLM
          or services placed on it must move to another node.
        </p>
      </ConfirmDialog>
    </section>
  );
}
