// The services snapshot (SPEC §7): a background poller reads every node's service containers with
// one SSH exec per node and each service's HTTP health; GET /api/services answers from memory.
// A node the SSH pool or the hardware sampler knows to be down is not asked: its services are
// `unknown` with the node's error. A node still busy with the last poll is skipped (no pile-up).
import type {
  DeepCheckResult,
  AutoRestartInfo,
  DockerState,
  LastJobInfo,
  ServiceInfo,
  ServicesResponse,
} from '../../../common/services-api.js';
import type { NodeConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { Poll } from '../../platform/poll.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { urlHost } from '../health/index.js';
import { type ContainerState, inspectCommand, parseInspect } from './docker-state.js';
import { classifyHealth, lookAt } from './http-health.js';
import type { ServiceDef, ServiceRegistry } from './registry.js';

export type DeepHealthOf = (
  name: string,
) => { last: DeepCheckResult | null; auto_restart: AutoRestartInfo } | null;

/** Why a node must not be asked now (null: ask it). */
export type NodeDownReason = (node: string) => string | null;

export interface SnapshotOptions {
  registry: ServiceRegistry;
  nodes: NodeConfig[];
  transport: NodeTransport;
  bus: EventBus;
  nodeDown: NodeDownReason;
  /** The job holding a container's lock, for the card's `job`. */
  jobOn: (lock: string) => ServiceInfo['job'];
  /** The interrupted or failed job a container's card still explains (judged against docker now). */
  lastJobOn?: (lock: string, docker: DockerState | null, container: string) => LastJobInfo | null;
  deepHealthOf?: DeepHealthOf;
  intervalMs: number;
  sshTimeoutMs?: number;
  httpTimeoutMs?: number;
  /** A container younger than this that does not answer yet is `starting` (NIMs load slowly). */
  startGraceS?: number;
  now?: () => number;
}

type Observed = Omit<
  ServiceInfo,
  | 'deep_check'
  | 'auto_restart'
  | 'job'
  | 'last_job'
  | 'custom'
  | 'name'
  | 'kind'
  | 'node'
  | 'host'
  | 'base_url'
  | 'container'
  | 'api'
>;

export const containerLock = (s: Pick<ServiceDef, 'node' | 'container'>): string =>
  `container:${s.node}:${s.container}`;

export class ServicesSnapshot {
  private observed = new Map<string, Observed>();
  private checkedAt: string | null = null;
  private readonly busy = new Set<string>();
  private readonly poll: Poll;
  private lastPublished = '';
  /** Set on shutdown: a poll still in flight must not publish or read other modules' stores (closed by then). */
  private stopped = false;

  constructor(private readonly o: SnapshotOptions) {
    o.bus.addReplay(() => [{ type: 'services', ts: new Date().toISOString(), data: this.current() }]);
    // A service added or removed shows (or goes) at once, and the list publishes.
    o.registry.onChange(() => this.publishIfChanged());
    // So does a job ending on a container: a failure stays on its card (`last_job`).
    o.bus.subscribe((e) => {
      if (this.stopped || e.type !== 'job' || e.data.state === 'running') return;
      if (e.data.locks.some((l) => l.startsWith('container:'))) this.publishIfChanged();
    });
    // refresh() never rejects (every failure becomes a state).
    this.poll = new Poll(() => this.refresh(), o.intervalMs);
  }

  start(): void {
    this.poll.start();
  }

  stop(): void {
    this.stopped = true;
    this.poll.stop();
  }

  /** Publishes the list if something it shows changed outside a poll (a notice was dismissed). */
  republish(): void {
    if (!this.stopped) this.publishIfChanged();
  }

  private hostOf(node: string): string {
    return this.o.nodes.find((n) => n.name === node)?.host ?? '';
  }

  private info(def: ServiceDef, downOf: (node: string) => string | null = this.o.nodeDown): ServiceInfo {
    const host = this.hostOf(def.node);
    const down = downOf(def.node);
    const seen = this.observed.get(def.name);
    const base: Observed = seen ?? {
      docker_state: 'unknown',
      restart_count: null,
      started_at: null,
      health: def.kind === 'bot' ? null : 'unknown',
      models: [],
      error: 'Not checked yet',
      checked_at: null,
    };
    // What the pool knows now wins over the last poll: a node that went down since is unknown at once.
    const live: Observed = down
      ? {
          ...base,
          docker_state: 'unknown',
          health: def.kind === 'bot' ? null : 'unknown',
          models: [],
          error: down,
        }
      : base;
    const deep = this.stopped ? null : (this.o.deepHealthOf?.(def.name) ?? null);
    return {
      name: def.name,
      kind: def.kind,
      node: def.node,
      host,
      base_url: def.port !== null && host ? `http://${urlHost(host)}:${def.port}` : null,
      container: def.container,
      api: def.api,
      ...live,
      deep_check: deep?.last ?? null,
      auto_restart: deep?.auto_restart ?? null,
      custom: def.custom,
      job: this.o.jobOn(containerLock(def)),
      // Before the first poll docker's view is not known, which is not "the node did not answer".
      last_job: this.stopped
        ? null
        : (this.o.lastJobOn?.(containerLock(def), !seen && !down ? null : live.docker_state, def.container) ??
          null),
    };
  }

  current(): ServicesResponse {
    // Asked once per node, not per service: this answers every dashboard poll (p99 target 5 ms).
    const seen = new Map<string, string | null>();
    const downOf = (node: string): string | null => {
      if (!seen.has(node)) seen.set(node, this.o.nodeDown(node));
      return seen.get(node) ?? null;
    };
    return { services: this.o.registry.list().map((d) => this.info(d, downOf)), checked_at: this.checkedAt };
  }

  one(name: string): ServiceInfo | null {
    const def = this.o.registry.get(name);
    return def ? this.info(def) : null;
  }

  /** Polls every node (or only `onlyNode`). Never rejects. */
  async refresh(onlyNode?: string): Promise<ServicesResponse> {
    const byNode = new Map<string, ServiceDef[]>();
    for (const def of this.o.registry.list()) {
      if (onlyNode !== undefined && def.node !== onlyNode) continue;
      byNode.set(def.node, [...(byNode.get(def.node) ?? []), def]);
    }
    await Promise.all([...byNode].map(([node, defs]) => this.pollNode(node, defs, onlyNode !== undefined)));
    this.checkedAt = new Date(this.now()).toISOString();
    if (!this.stopped) this.publishIfChanged();
    return this.current();
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  private async pollNode(node: string, defs: ServiceDef[], force: boolean): Promise<void> {
    if (this.busy.has(node) && !force) return;
    this.busy.add(node);
    try {
      const at = new Date(this.now()).toISOString();
      const down = this.o.nodeDown(node);
      const states = down ? null : await this.inspect(node, defs);
      await Promise.all(
        defs.map(async (def) => {
          if (down || !states) {
            this.observed.set(def.name, {
              docker_state: 'unknown',
              restart_count: null,
              started_at: null,
              health: def.kind === 'bot' ? null : 'unknown',
              models: [],
              error: down ?? this.o.nodeDown(node) ?? `${node} did not answer`,
              checked_at: at,
            });
            return;
          }
          const st = states.get(def.container) ?? {
            state: 'unknown',
            restart_count: null,
            started_at: null,
            error: null,
          };
          this.observed.set(def.name, await this.withHealth(def, st, at));
        }),
      );
    } finally {
      this.busy.delete(node);
    }
  }

  private async inspect(node: string, defs: ServiceDef[]): Promise<Map<string, ContainerState> | null> {
    const containers = [...new Set(defs.map((d) => d.container))];
    try {
      const r = await this.o.transport.exec(node, inspectCommand(containers), {
        timeoutMs: this.o.sshTimeoutMs ?? 6000,
      });
      return parseInspect(containers, r);
    } catch {
      return null;
    }
  }

  private async withHealth(def: ServiceDef, st: ContainerState, at: string): Promise<Observed> {
    const host = this.hostOf(def.node);
    const startedMs = st.started_at ? Date.parse(st.started_at) : NaN;
    const runningForS = Number.isFinite(startedMs) ? Math.max(0, (this.now() - startedMs) / 1000) : null;
    const base = def.port !== null && host ? `http://${urlHost(host)}:${def.port}` : null;
    const { probe, models } =
      base && st.state === 'running'
        ? await lookAt(def, base, this.o.httpTimeoutMs ?? 3000)
        : { probe: null, models: [] };
    const health = classifyHealth({
      def,
      docker: st.state,
      runningForS,
      probe,
      startGraceS: this.o.startGraceS ?? 600,
    });
    return {
      docker_state: st.state,
      restart_count: st.restart_count,
      started_at: st.started_at,
      health,
      models,
      error:
        st.error ??
        (probe?.kind === 'answer' && health === 'unhealthy'
          ? `health check answered HTTP ${probe.status}`
          : null),
      checked_at: at,
    };
  }

  private publishIfChanged(): void {
    const now = this.current();
    const key = JSON.stringify(now.services.map((s) => ({ ...s, checked_at: null })));
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.o.bus.publish('services', now);
  }
}
