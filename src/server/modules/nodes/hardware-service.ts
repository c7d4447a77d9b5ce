// Background hardware sampler (ARCHITECTURE pattern 6): probes every node in parallel on an
// interval and keeps the latest snapshot in memory, so GET /api/hardware never waits on SSH.
// A node whose previous probe is still running is skipped, so a hanging Spark never piles up
// probes; the transport's own cooldown keeps a dead Spark from costing a timeout per sweep.
import type { HardwareSnapshot, NodeErrorKind, NodeHardware } from '../../../common/api.js';
import type { NodeConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { isAppError } from '../../platform/http/errors.js';
import { raw, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { HARDWARE_PROBE_SCRIPT } from './hardware/probe-script.js';
import { parseProbeOutput, unreachableHardware } from './hardware/parse-probe.js';
import type { HardwareStore } from './hardware-store.js';
import type { WakingTracker } from './wake/waking.js';

export interface HardwareServiceOptions {
  nodes: NodeConfig[];
  transport: NodeTransport;
  store: HardwareStore;
  bus: EventBus;
  intervalMs: number;
  historyHours: number;
  probeTimeoutMs?: number;
  /** The command each probe runs; the benchmark swaps in a fixed-cost one to isolate fan-out. */
  probeCommand?: ShellCommand;
  logger?: { warn(obj: unknown, msg?: string): void };
  /** Nodes woken by Wake-on-LAN: shown as waking until a probe answers (or the wake times out). */
  waking?: WakingTracker;
}

const PROBE_CMD = sh`${raw(HARDWARE_PROBE_SCRIPT)}`;

export class HardwareService {
  private readonly snapshot = new Map<string, NodeHardware>();
  private readonly inFlight = new Set<string>();
  private readonly facts;
  private timer: NodeJS.Timeout | null = null;
  private publishTimer: NodeJS.Timeout | null = null;
  private sweeps = 0;
  /** Set on shutdown: a sweep still in flight must not write to a closed database. */
  private stopped = false;

  constructor(private readonly o: HardwareServiceOptions) {
    this.facts = o.store.knownFacts();
    for (const n of o.nodes) {
      this.snapshot.set(n.name, { ...unreachableHardware(n, 'Not probed yet', null), mac: this.macFor(n) });
    }
    o.bus.addReplay(() => [{ type: 'hardware', ts: new Date().toISOString(), data: this.current() }]);
  }

  start(): void {
    if (this.timer) return;
    this.sweepSoon();
    this.timer = setInterval(() => this.sweepSoon(), this.o.intervalMs);
    this.timer.unref();
  }

  /**
   * A sweep nobody waits for (the interval, a route that changed a node's trust): its results
   * arrive as events. A probe failure is already a node state, so only a bug lands in the log.
   */
  sweepSoon(): void {
    this.sweep().catch((err: unknown) => this.o.logger?.warn({ err }, 'hardware sweep failed'));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.timer = null;
    this.publishTimer = null;
  }

  /** The snapshot with each node's age computed now. */
  current(now = Date.now()): HardwareSnapshot {
    const out: HardwareSnapshot = {};
    for (const [name, h] of this.snapshot) {
      out[name] = {
        ...h,
        age_s: h.sampled_at ? Math.max(0, (now - Date.parse(h.sampled_at)) / 1000) : null,
        ...this.o.waking?.fields(name),
      };
    }
    return out;
  }

  /** Probes every node once (in parallel) and records the results. Resolves when all are done. */
  async sweep(): Promise<void> {
    const targets = this.o.nodes.filter((n) => !this.inFlight.has(n.name));
    const results = await Promise.all(targets.map((n) => this.probe(n)));
    if (this.stopped) return;
    try {
      this.o.store.record(results, Date.now());
      if (++this.sweeps % 120 === 0) this.o.store.prune(Date.now() - this.o.historyHours * 3600_000);
    } catch (e) {
      // History is a convenience: losing one sample must never take the sampler down.
      this.o.logger?.warn({ err: e }, 'could not record hardware history');
    }
  }

  private async probe(node: NodeConfig): Promise<NodeHardware> {
    this.inFlight.add(node.name);
    let result: NodeHardware;
    try {
      const r = await this.o.transport.exec(node.name, this.o.probeCommand ?? PROBE_CMD, {
        timeoutMs: this.o.probeTimeoutMs ?? 12_000,
      });
      result = parseProbeOutput(r.stdout, node);
      if (!result.mac) result.mac = this.macFor(node);
    } catch (e) {
      const { kind, message } = this.describe(node, e);
      result = { ...unreachableHardware(node, message, kind), mac: this.macFor(node) };
    } finally {
      this.inFlight.delete(node.name);
    }
    if (result.ok && result.mac) this.facts.set(node.name, { mac: result.mac, hostname: result.hostname });
    this.update(result);
    return result;
  }

  private update(h: NodeHardware): void {
    const before = this.snapshot.get(h.name);
    this.snapshot.set(h.name, h);
    if (h.ok) this.o.waking?.clear(h.name); // it answered: no longer "waiting for SSH"
    if (!before || before.ok !== h.ok || before.error_kind !== h.error_kind) {
      this.o.bus.publish('node_state', { node: h.name, ok: h.ok, error: h.error });
      if (!h.ok) this.o.logger?.warn({ node: h.name, kind: h.error_kind }, 'node probe failed');
    }
    this.publishSoon();
  }

  /** Coalesces per-node results (and waking changes) into one hardware event, so a sweep is one message. */
  publishSoon(): void {
    this.publishTimer ??= setTimeout(() => {
      this.publishTimer = null;
      this.o.bus.publish('hardware', this.current());
    }, 50);
  }

  private macFor(node: NodeConfig): string | null {
    return this.facts.get(node.name)?.mac ?? node.mac ?? null;
  }

  private describe(node: NodeConfig, e: unknown): { kind: NodeErrorKind; message: string } {
    const state = this.o.transport.state(node.name);
    if (state.state === 'auth_failed' || state.state === 'host_key_changed') {
      return { kind: state.state, message: state.error };
    }
    if (isAppError(e) && e.code === 'TIMEOUT') {
      return { kind: 'timeout', message: `${node.host} did not answer the hardware probe in time` };
    }
    if (isAppError(e) && e.code === 'NODE_UNREACHABLE') return { kind: 'unreachable', message: e.message };
    return { kind: 'probe_failed', message: `The hardware probe on ${node.name} failed` };
  }
}
