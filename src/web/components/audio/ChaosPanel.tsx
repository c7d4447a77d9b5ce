// Demo only: a switch per simulated fault (Parakeet wedge, Magpie 500s, flapping, a wrong NGC
// key, the vLLM faults) to watch deep health, auto-restart and the installer react.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client.js';
import { audioKeys, setSimFault, type SimFault } from '../../api/services.js';
import { useSimFaults } from '../../hooks/audioQueries.js';
import { useMeta } from '../../hooks/queries.js';
import { LoadProblem } from './LoadProblem.js';

export function ChaosPanel() {
  const { data: meta } = useMeta();
  if (!meta?.simulated) return null;
  return <ChaosBody />;
}

function ChaosBody() {
  const client = useQueryClient();
  const faults = useSimFaults(true);
  const toggle = useMutation({
    mutationFn: (f: { name: string; on: boolean }) => setSimFault(f.name, f.on),
    onSuccess: (_r, f) => {
      client.setQueryData<{ faults: SimFault[] }>(audioKeys.simFaults, (old) =>
        old ? { faults: old.faults.map((x) => (x.name === f.name ? { ...x, on: f.on } : x)) } : old,
      );
      void client.invalidateQueries({ queryKey: audioKeys.simFaults, exact: true });
    },
  });

  return (
    <section className="card audio-panel" aria-label="Chaos (simulated faults)" data-testid="chaos-panel">
      <header className="card-title-row">
        <h3 className="model-name">Chaos</h3>
        <span className="small muted">
          Simulated cluster only: break things on purpose and watch the cards react.
        </span>
      </header>
      {faults.data ? (
        <ul className="chaos-list">
          {faults.data.faults.map((f) => (
            <li key={f.name}>
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={f.on}
                  disabled={toggle.isPending}
                  data-testid={`fault-${f.name}`}
                  onChange={(e) => toggle.mutate({ name: f.name, on: e.target.checked })}
                />
                <span className="mono">{f.name}</span>
                <span className="small muted">{f.description}</span>
              </label>
            </li>
          ))}
        </ul>
      ) : faults.error ? (
        <LoadProblem what="Simulated faults" error={faults.error} testId="chaos-unavailable" />
      ) : (
        <p className="small muted">Loading…</p>
      )}
      {toggle.error ? (
        <p className="small error-text" role="alert">
          {errorMessage(toggle.error)}
        </p>
      ) : null}
    </section>
  );
}
