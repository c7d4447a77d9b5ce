// Swap-event webhooks (SPEC §5): downstream consumers learn that the served model changed
// (swap_complete) or that a swap failed. A slow or dead receiver must never hold up a swap, so
// notify() only queues the delivery; failures are logged and counted, never thrown.
import { randomUUID } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { SwapInfo } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { VERSION } from '../../version.js';

export type SwapEvent = 'swap_complete' | 'swap_failed';

export interface WebhookNotifierOptions {
  urls: string[];
  bus?: EventBus;
  logger?: { warn(obj: unknown, msg?: string): void; debug?(obj: unknown, msg?: string): void };
  /** Per attempt, connection to end of the answer. */
  timeoutMs?: number;
  /** Further attempts after a network error, timeout, 5xx or 429 (so retries + 1 in all). */
  retries?: number;
  /** Wait before the first retry; doubles for each further one. */
  backoffMs?: number;
  dispatcher?: Dispatcher;
}

/** Last outcome per configured URL, for a dashboard line. */
export interface WebhookDelivery {
  index: number;
  /** Only the host: a webhook URL's path or query may carry a token. */
  host: string;
  state: 'idle' | 'sending' | 'ok' | 'failed';
  last_event: SwapEvent | null;
  /** HTTP status of the last attempt; null when it got no answer. */
  last_status: number | null;
  last_error: string | null;
  /** Attempts made for the last event. */
  attempts: number;
  last_attempt_at: string | null;
  last_success_at: string | null;
  delivered: number;
  failed: number;
}

interface Target {
  url: string;
  stats: WebhookDelivery;
  /** Deliveries to one URL run in order so a receiver never sees an older swap after a newer one. */
  chain: Promise<void>;
}

interface Outcome {
  ok: boolean;
  retryable: boolean;
  status: number | null;
  error: string | null;
}

export class WebhookNotifier {
  private readonly targets: Target[] = [];
  private readonly abort = new AbortController();
  private readonly sleeping = new Map<NodeJS.Timeout, () => void>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly o: WebhookNotifierOptions) {
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.retries = Math.max(0, o.retries ?? 3);
    this.backoffMs = o.backoffMs ?? 1000;
    o.urls.forEach((url, index) => {
      let host: string;
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
        host = u.host;
      } catch {
        // The config schema checks URLs already; this guards direct callers without echoing the URL.
        o.logger?.warn({ index }, 'webhook URL is not a valid http(s) URL; it is skipped');
        return;
      }
      const stats: WebhookDelivery = {
        index,
        host,
        state: 'idle',
        last_event: null,
        last_status: null,
        last_error: null,
        attempts: 0,
        last_attempt_at: null,
        last_success_at: null,
        delivered: 0,
        failed: 0,
      };
      this.targets.push({ url, stats, chain: Promise.resolve() });
    });
  }

  /** Publishes the event on the bus and queues one delivery per URL; returns at once. */
  notify(event: SwapEvent, swap: SwapInfo): void {
    this.o.bus?.publish(event, swap);
    if (this.abort.signal.aborted) return;
    // One id across retries, so a receiver can drop a duplicate of an attempt that timed out late.
    const id = randomUUID();
    for (const t of this.targets) t.chain = t.chain.then(() => this.deliver(t, event, swap, id));
  }

  deliveries(): WebhookDelivery[] {
    return this.targets.map((t) => ({ ...t.stats }));
  }

  /** Resolves when every queued delivery has finished (tests, graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.chain));
  }

  /** Cancels pending retries and in-flight requests; later notify() calls only publish on the bus. */
  stop(): void {
    this.abort.abort();
    for (const [timer, wake] of this.sleeping) {
      clearTimeout(timer);
      wake();
    }
    this.sleeping.clear();
  }

  private async deliver(t: Target, event: SwapEvent, swap: SwapInfo, id: string): Promise<void> {
    const s = t.stats;
    Object.assign(s, {
      state: 'sending',
      last_event: event,
      attempts: 0,
      last_status: null,
      last_error: null,
    });
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) return this.finish(t, event, swap, { error: 'cancelled' });
      s.attempts = attempt + 1;
      s.last_attempt_at = new Date().toISOString();
      const out = await this.attempt(t.url, event, swap, id);
      s.last_status = out.status;
      s.last_error = out.error;
      if (out.ok) {
        s.state = 'ok';
        s.delivered++;
        s.last_success_at = new Date().toISOString();
        return;
      }
      if (!out.retryable || attempt >= this.retries) return this.finish(t, event, swap, out);
      const wait = this.backoffMs * 2 ** attempt;
      this.o.logger?.debug?.(
        { host: s.host, event, swap_id: swap.id, status: out.status, error: out.error, retry_in_ms: wait },
        'webhook delivery failed; retrying',
      );
      if (!(await this.sleep(wait))) return this.finish(t, event, swap, { error: 'cancelled' });
    }
  }

  private finish(t: Target, event: SwapEvent, swap: SwapInfo, out: Partial<Outcome>): void {
    const s = t.stats;
    s.state = 'failed';
    s.failed++;
    s.last_error = out.error ?? s.last_error;
    this.o.logger?.warn(
      {
        host: s.host,
        event,
        swap_id: swap.id,
        status: s.last_status,
        error: s.last_error,
        attempts: s.attempts,
      },
      'webhook delivery failed',
    );
  }

  private async attempt(url: string, event: SwapEvent, swap: SwapInfo, id: string): Promise<Outcome> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([this.abort.signal, timeout]);
    try {
      const res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `spark-control/${VERSION}`,
          'x-spark-control-event': event,
          'x-spark-control-delivery': id,
        },
        body: JSON.stringify({ event, swap, sent_at: new Date().toISOString() }),
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        dispatcher: this.o.dispatcher,
      });
      // The answer's body is not used, but it must be read for the connection to be reused.
      await res.body.dump();
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { ok: true, retryable: false, status, error: null };
      return { ok: false, retryable: status >= 500 || status === 429, status, error: `HTTP ${status}` };
    } catch (e) {
      if (this.abort.signal.aborted) return { ok: false, retryable: false, status: null, error: 'cancelled' };
      const error = timeout.aborted ? `timed out after ${this.timeoutMs} ms` : this.describe(e);
      return { ok: false, retryable: true, status: null, error };
    }
  }

  /** An error code or class name, never the message: some embed the address or the request. */
  private describe(e: unknown): string {
    const err = e as { name?: unknown; code?: unknown } | null;
    const code = typeof err?.code === 'string' ? err.code : null;
    const name = typeof err?.name === 'string' ? err.name : null;
    if (name === 'TimeoutError' || (code !== null && /TIMEOUT/.test(code)))
      return `timed out after ${this.timeoutMs} ms`;
    return code ?? name ?? 'request failed';
  }

  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping.delete(timer);
        resolve(true);
      }, ms);
      timer.unref();
      this.sleeping.set(timer, () => resolve(false));
    });
  }
}
