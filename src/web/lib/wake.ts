// Pure helpers for the unreachable card's Wake-on-LAN part: is the node waking, for how long, and
// what the last wake did, in words.
import type { NodeHardware, WakeResponse } from '../../common/api.js';

/** Seconds since the wake began while the node is waking (and the wait has not run out), else null. */
export function wakingElapsedS(
  node: Pick<NodeHardware, 'waking_since' | 'waking_until'>,
  now: number,
): number | null {
  if (!node.waking_since || !node.waking_until) return null;
  const since = Date.parse(node.waking_since);
  const until = Date.parse(node.waking_until);
  if (!Number.isFinite(since) || !Number.isFinite(until) || now >= until) return null;
  return Math.max(0, (now - since) / 1000);
}

const route = (r: { via: 'peer' | 'broadcast'; target: string }) =>
  r.via === 'peer' ? `from ${r.target} over SSH` : `broadcast to ${r.target}`;

/** "Sent from spark1 over SSH and broadcast to 255.255.255.255:9." plus one line per failed way. */
export function describeWake(r: Pick<WakeResponse, 'sent_via' | 'failed'>): {
  sent: string;
  failed: string[];
} {
  const sent = r.sent_via.length === 0 ? 'Not sent.' : `Sent ${r.sent_via.map(route).join(', ')}.`;
  return { sent, failed: r.failed.map((f) => `Not ${route(f)}: ${f.error}`) };
}
