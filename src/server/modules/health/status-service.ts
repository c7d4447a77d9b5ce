// Background status of the served endpoints (SPEC §8): vLLM's loaded model and the speech
// services' health, polled on an interval; /api/status and /api/endpoints answer from memory.
import { request, type Dispatcher } from 'undici';
import type { EndpointsResponse, ServiceStatus, StatusResponse, VllmStatus } from '../../../common/api.js';
import type { AppConfig } from '../../config/types.js';
import type { EventBus } from '../../platform/events/bus.js';
import { requestErrorCode } from '../../platform/http/request-error.js';
import { Poll } from '../../platform/poll.js';
import { classifyVllm, HEAD_UNREACHABLE, type VllmProbe } from './vllm-state.js';

export interface StatusServiceOptions {
  config: Pick<AppConfig, 'nodes' | 'vllm' | 'services'>;
  bus: EventBus;
  intervalMs: number;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** The swap in progress, if any (shown in /api/status as `swap`). */
  swapInProgress?: () => unknown;
  /** True when the head node is known to be down (SSH unreachable): vLLM's state is then unknown. */
  headDown?: () => boolean;
  /** A fresh SSH check of the head node: true answered, false down, null no answer in time. */
  headAnswers?: () => Promise<boolean | null>;
}

/** The health URL a speech service answers: the seed's Parakeet app `/health`, NVIDIA NIMs `/v1/health/ready`. */
export function speechHealthPath(svc: { kind: string; api?: string }): string {
  if (svc.api === 'nim') return '/v1/health/ready';
  if (svc.api === 'parakeet-app') return '/health';
  return svc.kind === 'tts' ? '/v1/health/ready' : '/health';
}

export class StatusService {
  private state: StatusResponse;
  private readonly poll: Poll;
  private running = false;
  private again = false;
  /**
   * Set by stop(): the app closes its database right after, and a refresh asked for during the one
   * in flight (a swap ending) would otherwise start after that and read the swap's job from it.
   */
  private stopped = false;

  constructor(private readonly o: StatusServiceOptions) {
    this.state = {
      vllm: {
        ok: false,
        state: 'unknown',
        base_url: this.vllmBaseUrl(),
        model: null,
        models: [],
        note: 'Not checked yet',
        error: null,
      },
      parakeet: this.speechPlaceholder('parakeet'),
      magpie: this.speechPlaceholder('magpie'),
      swap: null,
      checked_at: null,
    };
    o.bus.addReplay(() => [{ type: 'status', ts: new Date().toISOString(), data: this.state }]);
    // refresh() never rejects (every failed probe becomes a state) and publishes what it finds.
    this.poll = new Poll(() => this.refresh(), o.intervalMs);
  }

  start(): void {
    this.poll.start();
  }

  stop(): void {
    this.stopped = true;
    this.poll.stop();
  }

  current(): StatusResponse {
    return { ...this.live(), swap: this.o.swapInProgress?.() ?? null };
  }

  /**
   * The last poll, corrected by what the SSH pool knows now: a head node marked unreachable since
   * makes vLLM's state unreachable at once, not after the next poll (whose HTTP probe may wait for
   * a connect timeout on a host that drops packets).
   */
  private live(): Omit<StatusResponse, 'swap'> {
    const s = this.state;
    if (s.vllm.state === 'unreachable' || !this.o.headDown?.()) return s;
    return {
      ...s,
      vllm: {
        ...s.vllm,
        ok: false,
        state: 'unreachable',
        model: null,
        models: [],
        note: null,
        error: HEAD_UNREACHABLE,
      },
    };
  }

  /** `endpoints().vllm.base_url` without building the rest (the gateway asks on every request). */
  vllmEndpoint(): string | null {
    return this.state.vllm.base_url;
  }

  endpoints(): EndpointsResponse {
    const s = this.live();
    const entry = (x: ServiceStatus, model: string | null) => ({ base_url: x.base_url, model, ready: x.ok });
    return {
      vllm: { base_url: s.vllm.base_url, model: s.vllm.model, ready: s.vllm.state === 'loaded' },
      parakeet: entry(s.parakeet, null),
      magpie: entry(s.magpie, null),
    };
  }

  /** Never rejects: a probe that fails is a state (`unreachable`, `unknown`), not an error. */
  async refresh(): Promise<StatusResponse> {
    // A refresh asked for during another (e.g. right after a swap) runs again once that one ends:
    // the one in flight may have read vLLM before the change.
    if (this.stopped) return this.state;
    if (this.running) {
      this.again = true;
      return this.state;
    }
    this.running = true;
    try {
      const [vllm, parakeet, magpie] = await Promise.all([
        this.checkVllm(),
        this.checkSpeech('parakeet'),
        this.checkSpeech('magpie'),
      ]);
      const next: StatusResponse = {
        vllm,
        parakeet,
        magpie,
        swap: null,
        checked_at: new Date().toISOString(),
      };
      const changed =
        JSON.stringify({ ...next, checked_at: null }) !== JSON.stringify({ ...this.state, checked_at: null });
      this.state = next;
      if (changed) this.o.bus.publish('status', next);
      return next;
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        // Not awaited: the caller has its answer; the follow-up publishes its own (never rejects).
        void this.refresh();
      }
    }
  }

  private hostOf(node: string): string | null {
    return this.o.config.nodes.find((n) => n.name === node)?.host ?? null;
  }

  private vllmBaseUrl(): string | null {
    const head = this.o.config.vllm.nodes[0];
    const host = head ? this.hostOf(head) : null;
    return host ? `http://${urlHost(host)}:${this.o.config.vllm.port}/v1` : null;
  }

  private speechBaseUrl(name: string): string | null {
    const svc = this.o.config.services[name];
    const host = svc ? this.hostOf(svc.node) : null;
    return svc && host ? `http://${urlHost(host)}:${svc.port}` : null;
  }

  private speechPlaceholder(name: string): ServiceStatus {
    const base = this.speechBaseUrl(name);
    return { ok: false, base_url: base, note: base ? 'Not checked yet' : 'not configured', error: null };
  }

  private get timeoutMs(): number {
    return this.o.timeoutMs ?? 3000;
  }

  private async getJson(url: string): Promise<{ status: number; body: unknown }> {
    const res = await request(url, {
      method: 'GET',
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      dispatcher: this.o.dispatcher,
    });
    const text = await res.body.text();
    try {
      return { status: res.statusCode, body: text ? (JSON.parse(text) as unknown) : null };
    } catch {
      return { status: res.statusCode, body: null };
    }
  }

  /** One fresh look at vLLM, outside the polling cycle (swap on request checks before it acts). */
  async checkVllm(): Promise<VllmStatus> {
    const base_url = this.vllmBaseUrl();
    if (!base_url)
      return {
        ok: false,
        state: 'unknown',
        base_url,
        model: null,
        models: [],
        note: 'not configured',
        error: null,
      };
    const ctx = {
      base_url,
      headDown: this.o.headDown?.() ?? false,
      swapping: (this.o.swapInProgress?.() ?? null) !== null,
      timeoutMs: this.timeoutMs,
    };
    let probe: VllmProbe;
    try {
      const { status, body } = await this.getJson(`${base_url}/models`);
      const data = (body as { data?: { id?: unknown }[] } | null)?.data;
      const models = (Array.isArray(data) ? data : [])
        .map((m) => m?.id)
        .filter((id): id is string => typeof id === 'string');
      probe = { kind: 'answer', status, models };
    } catch (err) {
      probe = { kind: 'error', code: requestErrorCode(err) };
    }
    if (probe.kind === 'error' && probe.code === 'ECONNREFUSED' && this.o.headAnswers)
      return classifyVllm(probe, { ...ctx, headAnswers: await this.o.headAnswers() });
    return classifyVllm(probe, ctx);
  }

  private async checkSpeech(name: string): Promise<ServiceStatus> {
    const svc = this.o.config.services[name];
    const base_url = this.speechBaseUrl(name);
    if (!svc || !base_url) return { ok: false, base_url: null, note: 'not configured', error: null };
    try {
      const { status } = await this.getJson(`${base_url}${speechHealthPath(svc)}`);
      return status === 200
        ? { ok: true, base_url, note: null, error: null }
        : { ok: false, base_url, note: null, error: `health check answered HTTP ${status}` };
    } catch {
      return { ok: false, base_url, note: null, error: `${name} is unreachable` };
    }
  }
}

/** IPv6 literals need brackets inside URLs. */
export const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);
