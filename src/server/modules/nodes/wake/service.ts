// POST /api/spark/{name}/wake (SPEC §3): find the node's MAC (config first: the owner may have set
// the wired NIC's; then the one cached from past probes), build the packet, send it from a reachable
// peer Spark over SSH, then broadcast it from here, and mark the node "waking — waiting for SSH".
import type { WakeResponse, WakeRoute } from '../../../../common/api.js';
import type { AppConfig, NodeConfig } from '../../../config/types.js';
import { AppError } from '../../../platform/http/errors.js';
import type { NodeTransport } from '../../../platform/remote/transport.js';
import { magicPacket, normalizeMac } from './magic-packet.js';
import { broadcastPacket, peerWakeCommand } from './senders.js';
import type { WakingTracker } from './waking.js';

export interface WakeServiceDeps {
  nodes: NodeConfig[];
  wake: AppConfig['wake'];
  /** The simulator: the broadcast may only go to 127.0.0.0/8. */
  loopbackOnly: boolean;
  transport: NodeTransport;
  tracker: WakingTracker;
  /** The MAC last seen by a probe (node_facts), or null. */
  cachedMac: (node: string) => string | null;
  /** Nodes whose last probe answered: the peers that can send from the LAN. */
  reachable: (node: string) => boolean;
  /** Publishes the hardware snapshot (which carries waking_since/until) to the dashboards. */
  changed: () => void;
  /** Probe the node now (it answered SSH): the sampler clears "waking" when the probe is ok. */
  probe: () => void;
  /**
   * Tells the connectivity log a wake was sent (or could not be): the owner sees it among the
   * node's reports. Never changes the node's state; only polling does.
   */
  logWake?: (wake: { node: string; ok: boolean; note: string | null; error: string | null }) => void;
  /** How often a waking node's SSH is tried, skipping the pool's failure cool-down. */
  pollMs?: number;
  logger?: { warn(obj: unknown, msg?: string): void };
}

const PEER_TIMEOUT_MS = 6_000;
const clip = (s: string, max = 200) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);
const routeText = (r: WakeRoute) =>
  r.via === 'peer' ? `from ${r.target} over SSH` : `broadcast to ${r.target}`;
const failedText = (failed: (WakeRoute & { error: string })[]) =>
  failed.length === 0 ? null : clip(failed.map((f) => `not ${routeText(f)}: ${f.error}`).join('; '), 500);

export class WakeService {
  /** A second click while a wake is being sent shares it: one set of packets, one answer. */
  private readonly inFlight = new Map<string, Promise<WakeResponse>>();
  private readonly polls = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: WakeServiceDeps) {}

  async wake(name: string): Promise<WakeResponse> {
    const index = this.d.nodes.findIndex((n) => n.name === name);
    const node = this.d.nodes[index];
    if (!node) throw new AppError('UNKNOWN_NODE', `No node named "${name}" is configured.`);
    const known = node.mac ?? this.d.cachedMac(name);
    if (!known) {
      throw new AppError(
        'CONFLICT',
        `No MAC address is known for ${name}: it was never seen while the node was up. Set it as ` +
          `nodes[${index}].mac in the config file (or on the settings page), e.g. mac: "aa:bb:cc:dd:ee:ff" ` +
          `(the wired NIC's address: ip link on the Spark), then wake it again.`,
      );
    }
    // validateMac's 400 names the config key to fix.
    const mac = normalizeMac(known, `nodes[${index}].mac`);
    const running = this.inFlight.get(name);
    if (running) return running;
    const p = this.send(node, mac).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, p);
    return p;
  }

  stop(): void {
    for (const t of this.polls.values()) clearInterval(t);
    this.polls.clear();
  }

  private async send(node: NodeConfig, mac: string): Promise<WakeResponse> {
    const packet = magicPacket(mac);
    const { broadcast_address: address, ports } = this.d.wake;
    const sent: WakeRoute[] = [];
    const failed: (WakeRoute & { error: string })[] = [];

    // From a peer first: its packet starts on the target's own LAN segment.
    for (const peer of this.d.nodes.filter((n) => n.name !== node.name && this.d.reachable(n.name))) {
      const route: WakeRoute = { via: 'peer', target: peer.name };
      try {
        const r = await this.d.transport.exec(peer.name, peerWakeCommand(packet, address, ports), {
          timeoutMs: PEER_TIMEOUT_MS,
        });
        if (r.code === 0) {
          sent.push(route);
          break;
        }
        const why =
          r.code === 127
            ? `python3 is not installed on ${peer.name}`
            : clip(r.stderr.trim().split('\n').at(-1) || `exit status ${String(r.code)}`);
        failed.push({ ...route, error: why });
      } catch (e) {
        failed.push({ ...route, error: clip(e instanceof Error ? e.message : String(e)) });
      }
    }
    if (sent.length === 0 && failed.length === 0) {
      failed.push({ via: 'peer', target: '(none)', error: 'no other node is reachable over SSH' });
    }

    for (const r of await broadcastPacket(packet, address, ports, { loopbackOnly: this.d.loopbackOnly })) {
      const route: WakeRoute = { via: 'broadcast', target: `${address}:${r.port}` };
      if (r.error === null) sent.push(route);
      else failed.push({ ...route, error: clip(r.error) });
    }

    if (sent.length === 0) {
      this.d.logger?.warn({ node: node.name, failed }, 'wake-on-lan: the magic packet could not be sent');
      this.log({
        node: node.name,
        ok: false,
        note: `Magic packet to ${mac} not sent`,
        error: failedText(failed),
      });
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The magic packet for ${node.name} could not be sent: ` +
          failed.map((f) => `${f.via} ${f.target}: ${f.error}`).join('; '),
        { details: { failed } },
      );
    }
    this.log({
      node: node.name,
      ok: true,
      note: clip(`Magic packet to ${mac} sent ${sent.map(routeText).join(', ')}`, 500),
      error: failedText(failed),
    });
    const waking = this.d.tracker.start(node.name);
    this.d.changed();
    this.pollWhileWaking(node.name);
    const peerNote = sent.some((s) => s.via === 'peer')
      ? ''
      : ' (no peer Spark sent it; only the broadcast went)';
    return {
      node: node.name,
      mac,
      sent_via: sent,
      failed,
      waking_since: new Date(waking.since).toISOString(),
      waking_until: new Date(waking.until).toISOString(),
      message: `Magic packet sent to ${mac}${peerNote}; waiting for ${node.name} to answer SSH.`,
    };
  }

  /** The wake went out (or not) whatever the log says: a failure to log is only worth a warning. */
  private log(wake: { node: string; ok: boolean; note: string | null; error: string | null }): void {
    try {
      this.d.logWake?.(wake);
    } catch (e) {
      this.d.logger?.warn(
        { node: wake.node, err: e },
        'wake-on-lan: could not record the wake in the connectivity log',
      );
    }
  }

  /** After a restart: the nodes still waking (the tracker keeps them in SQLite) are polled again. */
  resume(): void {
    for (const node of this.d.tracker.nodes())
      if (this.d.nodes.some((n) => n.name === node)) this.pollWhileWaking(node);
  }

  /**
   * The pool waits 25 s after a failed connect before trying a dead node again; a node that was just
   * woken is tried every few seconds instead, until it answers or waking times out.
   */
  private pollWhileWaking(node: string): void {
    if (this.polls.has(node)) return;
    const timer = setInterval(() => {
      if (!this.d.tracker.get(node)) {
        clearInterval(timer);
        this.polls.delete(node);
        this.d.changed(); // timed out: the card goes back to "unreachable"
        return;
      }
      // A failed attempt is the expected answer while the node boots.
      this.d.transport.checkNow(node).then(
        () => this.d.probe(),
        () => undefined,
      );
    }, this.d.pollMs ?? 3_000);
    timer.unref();
    this.polls.set(node, timer);
  }
}
