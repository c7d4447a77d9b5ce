// Deep health (SPEC §8): runs the probes on a schedule, on demand and when the gateway saw a
// speech service fail, keeps the last result per service, reports failures and recoveries to the
// connectivity log, and hands each result to the AutoRestarter (which asks `decideRestart`).
import type { FastifyBaseLogger } from 'fastify';
import type { DeepCheckResult, DeepHealthResponse, AutoRestartInfo } from '../../../common/services-api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { AutoRestarter, type RelaunchVllm } from './auto-restart.js';
import type { RestartPolicy } from './decide.js';
import { Loopback } from './loopback.js';
import { probe, type ProbeDeps, type ProbeTarget } from './probes.js';
import type { DeepHealthStore } from './store.js';
import { targetIdentity } from './targets.js';

export type DeepHealthSettings = AppConfig['deep_health'];

export interface DeepHealthOptions {
  settings: DeepHealthSettings;
  /** The configured services and vLLM (fixed); the gateway hook and the loopback use only these. */
  targets: ProbeTarget[];
  /** Speech services registered at run time (installed NIMs), read anew on every use. */
  registered?: () => ProbeTarget[];
  store: DeepHealthStore;
  bus: EventBus;
  runner: JobRunnerApi;
  transport: NodeTransport;
  /** The connectivity log's `report()`: failures, recoveries, auto-restart paused. */
  report: (r: {
    subject: string;
    ok: boolean;
    source: string;
    error?: string | null;
    ms?: number | null;
  }) => void;
  vllm: ProbeDeps['vllm'];
  log: FastifyBaseLogger;
  /** Epoch ms; tests inject a clock they move by hand to cross cooldowns and windows. */
  now?: () => number;
  /** How long a restart waits for the service's health route (tests shorten it). */
  healthWaitMs?: number;
  /** vLLM's cure: relaunch the loaded model through the swap engine (absent: never acted on). */
  relaunchVllm?: RelaunchVllm;
}

export const REPORT_SOURCE = 'deep-health';

export class DeepHealthService {
  private readonly now: () => number;
  private readonly last = new Map<string, DeepCheckResult | null>();
  private readonly inflight = new Map<string, Promise<DeepCheckResult>>();
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  /** Set by stop(): probes still in flight then record nothing. */
  private stopped = false;
  readonly loopback: Loopback;
  private readonly restarter: AutoRestarter;
  /** The registered targets as last seen (name → identity), to tell which one went or changed. */
  private known = new Map<string, string>();

  constructor(private readonly o: DeepHealthOptions) {
    this.now = o.now ?? Date.now;
    // Every saved result, not only the configured ones': a registered service's last check
    // persists across a control-plane restart like the others.
    for (const [name, v] of o.store.lastResults()) this.last.set(name, v.result);
    this.known = this.registeredNow();
    this.restarter = new AutoRestarter({
      policy: () => this.policy,
      store: o.store,
      runner: o.runner,
      transport: o.transport,
      report: (subject, ok, error) => this.report(subject, ok, error),
      log: o.log,
      now: this.now,
      // A service removed while its restart ran has nothing left to check.
      recheck: async (name) => (this.has(name) ? this.run(name, 'restart') : null),
      healthWaitMs: o.healthWaitMs,
      relaunchVllm: o.relaunchVllm,
    });
    this.loopback = new Loopback({
      asr: o.targets.find((t) => t.kind === 'asr') ?? null,
      tts: o.targets.find((t) => t.kind === 'tts') ?? null,
      store: o.store,
      timeoutMs: this.timeoutMs,
    });
  }

  private get timeoutMs(): number {
    return this.o.settings.timeout_s * 1000;
  }

  private get policy(): RestartPolicy {
    const s = this.o.settings;
    return {
      enabled: s.auto_restart,
      maxRestarts: s.max_restarts,
      windowMs: s.window_min * 60_000,
      cooldownMs: s.cooldown_s * 1000,
      startupGraceMs: s.startup_grace_s * 1000,
    };
  }

  /**
   * The first check runs when the startup grace ends: one before could not restart anything, and
   * right after a boot (of the host too) services may still be loading. Then every interval_s.
   */
  start(): void {
    if (this.timer || this.first) return;
    // Never rejects: run() turns every failure into a result.
    this.first = setTimeout(() => {
      this.first = null;
      void this.runAll('startup');
      this.timer = setInterval(() => void this.runAll('schedule'), this.o.settings.interval_s * 1000);
      this.timer.unref();
    }, this.o.settings.startup_grace_s * 1000);
    this.first.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.first) clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
    this.first = null;
    this.timer = null;
  }

  private all(): ProbeTarget[] {
    return [...this.o.targets, ...(this.o.registered?.() ?? [])];
  }

  private registeredNow(): Map<string, string> {
    return new Map((this.o.registered?.() ?? []).map((t) => [t.name, targetIdentity(t)]));
  }

  private has(name: string): boolean {
    return this.all().some((t) => t.name === name);
  }

  /**
   * The registry changed: a registered service that went (or now names another container) loses
   * its last result, its paused state and any restart still being waited for. The restart history
   * stays: it is the storm budget, and a remove and re-add must not reset it.
   */
  registryChanged(): void {
    const now = this.registeredNow();
    for (const [name, identity] of this.known) {
      if (now.get(name) === identity) continue;
      this.last.delete(name);
      this.inflight.delete(name);
      this.o.store.forget(name);
      this.restarter.forget(name);
    }
    this.known = now;
  }

  names(): string[] {
    return this.all().map((t) => t.name);
  }

  target(name: string): ProbeTarget {
    const t = this.all().find((x) => x.name === name);
    if (!t) {
      const known = this.names().join(', ') || 'none';
      throw new AppError('NOT_FOUND', `No deep-checked service named "${name}" (known: ${known}).`);
    }
    return t;
  }

  /** For the gateway's hook: the target of a speech service by name, or by kind (parakeet → asr). */
  targetFor(service: 'parakeet' | 'magpie'): ProbeTarget | null {
    const kind = service === 'parakeet' ? 'asr' : 'tts';
    return (
      this.o.targets.find((t) => t.name === service) ?? this.o.targets.find((t) => t.kind === kind) ?? null
    );
  }

  private async runAll(trigger: DeepCheckResult['trigger']): Promise<void> {
    await Promise.all(this.names().map((n) => this.run(n, trigger)));
  }

  /**
   * Probes a service now. A probe already running for it is joined instead (a burst of gateway
   * failures makes one probe, not one each). Never rejects for a known service.
   */
  run(name: string, trigger: DeepCheckResult['trigger']): Promise<DeepCheckResult> {
    const t = this.target(name);
    const running = this.inflight.get(name);
    if (running) return running;
    const p = this.probeAndAct(t, trigger).finally(() => this.inflight.delete(name));
    this.inflight.set(name, p);
    return p;
  }

  private async probeAndAct(t: ProbeTarget, trigger: DeepCheckResult['trigger']): Promise<DeepCheckResult> {
    const outcome = await probe(t, { timeoutMs: this.timeoutMs, vllm: this.o.vllm });
    const result: DeepCheckResult = {
      service: t.name,
      at: new Date(this.now()).toISOString(),
      trigger,
      ...outcome,
    };
    // A probe that outlived shutdown (the gateway triggered it just before) records and restarts
    // nothing: the database is closing and the job runner with it. Nor does one whose service was
    // removed (or re-registered on another container) meanwhile: it would resurrect its state.
    if (this.stopped || !this.current(t)) return result;
    this.record(result);
    try {
      await this.restarter.act(t, result);
    } catch (err) {
      // A restart that could not start is logged; the result stands (the next check tries again).
      this.o.log.error({ err, service: t.name }, 'deep health: the automatic restart could not start');
    }
    return result;
  }

  private current(t: ProbeTarget): boolean {
    if (this.o.targets.includes(t)) return true;
    const now = this.all().find((x) => x.name === t.name);
    return now !== undefined && targetIdentity(now) === targetIdentity(t);
  }

  private record(r: DeepCheckResult): void {
    const previous = this.last.get(r.service) ?? null;
    this.last.set(r.service, r);
    this.o.store.saveResult(r);
    this.o.bus.publish('deep_health', r);
    const wasFailing = previous?.outcome === 'failed';
    if (r.outcome === 'failed' && !wasFailing)
      this.report(r.service, false, `deep check failed: ${r.error ?? 'unknown error'}`, r.latency_ms);
    else if (r.outcome === 'ok' && wasFailing) this.report(r.service, true, null, r.latency_ms);
  }

  private report(subject: string, ok: boolean, error: string | null, ms: number | null = null): void {
    try {
      this.o.report({ subject, ok, source: REPORT_SOURCE, error: error?.slice(0, 500) ?? null, ms });
    } catch (err) {
      this.o.log.warn({ err, subject }, 'deep health: could not write the connectivity report');
    }
  }

  autoRestart(name: string): AutoRestartInfo {
    return this.restarter.info(this.target(name), this.last.get(name) ?? null);
  }

  /** For the services module's cards: the last check and the auto-restart counters. */
  deepHealthOf(name: string): { last: DeepCheckResult | null; auto_restart: AutoRestartInfo } | null {
    if (!this.has(name)) return null;
    return { last: this.last.get(name) ?? null, auto_restart: this.autoRestart(name) };
  }

  snapshot(): DeepHealthResponse {
    const services: DeepHealthResponse['services'] = {};
    for (const n of this.names()) services[n] = this.deepHealthOf(n)!;
    return { interval_s: this.o.settings.interval_s, services, loopback: this.loopback.last() };
  }
}
