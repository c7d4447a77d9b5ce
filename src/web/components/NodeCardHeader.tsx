// Node name, state pill, VPN badge, hostname · host · uptime, MAC.
import type { NodeHardware } from '../../common/api.js';
import { formatUptime } from '../lib/format.js';
import { nodeStateLabel } from '../lib/nodeStatus.js';

export function NodeCardHeader({ node }: { node: NodeHardware }) {
  const details = [node.hostname, node.host].filter((d): d is string => !!d);
  const unique = details.filter((d, i) => details.indexOf(d) === i);

  return (
    <header className="card-head">
      <div className="card-title-row">
        <h3 className="node-name">{node.name}</h3>
        <span
          className={node.ok ? 'pill pill-ok' : 'pill pill-danger'}
          data-testid={`node-state-${node.name}`}
        >
          {nodeStateLabel(node)}
        </span>
        {node.wg_iface ? (
          <span
            className="pill pill-info"
            data-testid={`vpn-badge-${node.name}`}
            title={`A WireGuard VPN interface (${node.wg_iface}) is up on this Spark${
              node.wg_ip ? ` with address ${node.wg_ip}` : ''
            }: it can be reached over the VPN.`}
          >
            VPN{node.wg_ip ? ` ${node.wg_ip}` : ''}
          </span>
        ) : null}
      </div>
      <div className="card-sub">
        {unique.map((d) => (
          <span key={d}>{d}</span>
        ))}
        {node.uptime_s != null ? <span title="Uptime">up {formatUptime(node.uptime_s)}</span> : null}
      </div>
      {node.mac ? <div className="mac">MAC {node.mac}</div> : null}
    </header>
  );
}
