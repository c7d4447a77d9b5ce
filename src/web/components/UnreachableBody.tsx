// The body of a card whose node did not answer: the error, Wake-on-LAN when it may be off or asleep,
// and what to check for its kind.
import type { NodeHardware } from '../../common/api.js';
import { AuthFailedHelp } from './AuthFailedHelp.js';
import { HostKeyChangedHelp } from './HostKeyChangedHelp.js';
import { NetworkChecklist } from './NetworkChecklist.js';
import { WakePanel } from './WakePanel.js';

export function UnreachableBody({ node }: { node: NodeHardware }) {
  return (
    <div className="unreachable-body">
      <p className="error-box" data-testid={`node-error-${node.name}`}>
        {node.error ?? 'Spark Control got no answer from this Spark.'}
      </p>
      {/* Only when the Spark may be off or asleep: a key or host-key problem means it is up. */}
      {node.error_kind === 'auth_failed' ||
      node.error_kind === 'host_key_changed' ||
      node.error_kind === 'probe_failed' ? null : (
        <WakePanel node={node} />
      )}
      <section className="what-to-check" aria-label="What to check" data-kind={node.error_kind ?? 'unknown'}>
        <h4 className="subhead">What to check</h4>
        <Help node={node} />
      </section>
    </div>
  );
}

function Help({ node }: { node: NodeHardware }) {
  switch (node.error_kind) {
    case 'auth_failed':
      return <AuthFailedHelp node={node} />;
    case 'host_key_changed':
      return <HostKeyChangedHelp node={node} />;
    case 'probe_failed':
      return (
        <>
          <p>
            Spark Control logged in to <code>{node.host}</code>, but reading its hardware failed. Check that{' '}
            <code>nvidia-smi</code> works there when run as the same user; the error above says which step
            failed.
          </p>
          <p className="muted small">It is retried automatically on the next probe.</p>
        </>
      );
    case 'timeout':
    case 'unreachable':
    default:
      return <NetworkChecklist node={node} />;
  }
}
