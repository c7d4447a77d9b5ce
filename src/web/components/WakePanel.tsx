// Wake-on-LAN on the unreachable card (SPEC §3, §15): the MAC, a Wake button (no confirmation:
// a magic packet is harmless), what the wake did, "waking — waiting for SSH" with the time since,
// and what WoL needs to work.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NodeHardware } from '../../common/api.js';
import { queryKeys, wakeNode } from '../api/endpoints.js';
import { useNow } from '../hooks/useNow.js';
import { formatClock } from '../lib/time.js';
import { describeWake, wakingElapsedS } from '../lib/wake.js';

export function WakePanel({ node }: { node: NodeHardware }) {
  const client = useQueryClient();
  const now = useNow();
  const wake = useMutation({
    mutationFn: () => wakeNode(node.name),
    // The answer's waking times show at once; the event stream keeps them current after.
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.hardware, exact: true }),
  });
  const elapsed = wakingElapsedS(node, now);
  const result = wake.data ? describeWake(wake.data) : null;

  return (
    <section className="wake-panel" aria-label="Wake-on-LAN" data-testid={`wake-panel-${node.name}`}>
      <h4 className="subhead">Wake-on-LAN</h4>
      <p>
        MAC address:{' '}
        {node.mac ? (
          <code data-testid={`wake-mac-${node.name}`}>{node.mac}</code>
        ) : (
          <span className="muted">
            not known yet (it is remembered once the Spark has been seen up; or set <code>nodes[].mac</code>{' '}
            in the config file or on the settings page)
          </span>
        )}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          data-testid={`wake-${node.name}`}
          disabled={wake.isPending}
          onClick={() => wake.mutate()}
        >
          {wake.isPending ? 'Waking…' : 'Wake'}
        </button>
        {elapsed !== null ? (
          <span className="small" role="status" data-testid={`waking-${node.name}`}>
            Waking — waiting for SSH · {formatClock(elapsed)}
          </span>
        ) : null}
      </div>
      {wake.error ? (
        <p className="error-box small" role="alert" data-testid={`wake-error-${node.name}`}>
          {wake.error.message}
        </p>
      ) : null}
      {result ? (
        <div className="small" data-testid={`wake-result-${node.name}`}>
          <p>{result.sent}</p>
          {result.failed.map((line) => (
            <p key={line} className="muted">
              {line}
            </p>
          ))}
        </div>
      ) : null}
      <details className="small">
        <summary>If waking does not work</summary>
        <ul className="checklist">
          <li>
            Wake-on-LAN is enabled in the Spark's firmware (UEFI setup) and on its NIC:{' '}
            <code>sudo ethtool -s &lt;interface&gt; wol g</code> (check with{' '}
            <code>ethtool &lt;interface&gt;</code>: &quot;Wake-on: g&quot;).
          </li>
          <li>
            The packet is a LAN broadcast: Spark Control or a peer Spark must be on the same L2 network.
          </li>
          <li>
            The MAC must be the wired Ethernet port&apos;s — not Wi-Fi and not the QSFP (ConnectX) ports,
            which do not wake the machine.
          </li>
          <li>
            The peer path needs another Spark that is up, reachable over SSH, with <code>python3</code>; the
            broadcast address is <code>wake.broadcast_address</code> in the config.
          </li>
          <li>A Spark that lost power entirely may need its power button pressed once.</li>
        </ul>
      </details>
    </section>
  );
}
