import { useNodeNames } from '../hooks/queries.js';
import { NodeCard } from './NodeCard.js';

export function HardwareSection() {
  const { data: names, error } = useNodeNames();

  let body;
  if (names === undefined) {
    body = error ? (
      <p className="error-text">Couldn't load hardware: {error.message}</p>
    ) : (
      <p className="muted">Loading hardware…</p>
    );
  } else if (names.length === 0) {
    body = <p className="muted">No Sparks are configured.</p>;
  } else {
    body = (
      <div className="node-grid">
        {names.map((name) => (
          <NodeCard key={name} name={name} />
        ))}
      </div>
    );
  }

  return (
    <section className="section" aria-labelledby="hardware-title">
      <div className="section-head">
        <h2 id="hardware-title" className="section-title">
          Hardware
        </h2>
        {names !== undefined && error ? (
          <span className="small error-text">
            Refresh failed: {error.message} (showing the last snapshot)
          </span>
        ) : null}
      </div>
      {body}
    </section>
  );
}
