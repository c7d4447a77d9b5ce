// One card per node. Subscribes to its own slice of the hardware snapshot.
import { memo } from 'react';
import { useNode } from '../hooks/queries.js';
import { NodeBars } from './NodeBars.js';
import { NodeCardHeader } from './NodeCardHeader.js';
import { NodeCharts } from './NodeCharts.js';
import { SampleAge } from './SampleAge.js';
import { UnreachableBody } from './UnreachableBody.js';

export const NodeCard = memo(function NodeCard({ name }: { name: string }) {
  const { node, receivedAt } = useNode(name);
  if (!node) return null;
  const state = node.ok ? 'ok' : 'unreachable';

  return (
    <article
      className={`card node-card node-${state}`}
      data-testid={`node-card-${name}`}
      data-state={state}
      aria-label={`Spark ${name}`}
    >
      <NodeCardHeader node={node} />
      <div className="card-body">
        {node.ok ? (
          <>
            <NodeBars node={node} />
            <NodeCharts name={name} />
          </>
        ) : (
          <UnreachableBody node={node} />
        )}
      </div>
      <footer className="card-foot">
        <SampleAge ageS={node.age_s} sampledAt={node.sampled_at} receivedAt={receivedAt} />
      </footer>
    </article>
  );
});
