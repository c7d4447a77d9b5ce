// What to check when a Spark does not answer at all (unreachable / timeout).
import type { NodeHardware } from '../../common/api.js';

export function NetworkChecklist({ node }: { node: NodeHardware }) {
  return (
    <>
      {node.error_kind === 'timeout' ? (
        <p>
          The connection to <code>{node.host}</code> timed out: the Spark may be off, asleep, overloaded, or
          the network may be dropping packets.
        </p>
      ) : null}
      <ul className="checklist">
        <li>Is the Spark powered on (power light on, fan running)?</li>
        <li>Is its network cable plugged in, or its Wi-Fi connected?</li>
        <li>
          Is it on the same LAN as Spark Control? Try <code>ping {node.host}</code> from this machine.
        </li>
        <li>
          Is SSH running on it? On the Spark: <code>sudo systemctl status ssh</code>
        </li>
      </ul>
      <p className="muted small">
        Spark Control can't restart a Spark it can't reach: someone has to check it in person. This card
        updates by itself as soon as the Spark answers again.
      </p>
    </>
  );
}
