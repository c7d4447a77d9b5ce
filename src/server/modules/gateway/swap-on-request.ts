// Swap on request (SPEC §5/§9, off by default): a chat/completions request naming a catalog model
// that is not loaded starts a swap (the GPU lock and the one-swap-at-a-time rule still apply) and
// is held until the model is ready. Concurrent requests for the same model share one swap.
import type { SwapInfo, VllmStatus } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';

export interface SwapOnRequestDeps {
  /** Catalog key of a served model id, or null when the model is not in the catalog. */
  keyFor(model: string): string | null;
  loadedModel(): string | null;
  running(): SwapInfo | null;
  /** Starts the swap (its pre-swap checks run first: a refusal rejects with their 409). */
  start(key: string): Promise<{ id: string }>;
  /** A fresh look at what vLLM serves (not the last poll): the swap acts only on a definite answer. */
  probe(): Promise<VllmStatus>;
  bus: EventBus;
  timeoutMs: number;
}

const FINAL = new Set(['ready', 'failed', 'cancelled']);

export class SwapOnRequest {
  private readonly waits = new Map<string, Promise<void>>();

  constructor(private readonly d: SwapOnRequestDeps) {}

  /**
   * Null when the request can go straight to vLLM (already loaded, or not a catalog model — then
   * vLLM answers its own 404). Otherwise the swap to wait for and how long it is expected to take.
   */
  needed(model: string | null): { key: string; model: string } | null {
    if (!model || model === this.d.loadedModel()) return null;
    const key = this.d.keyFor(model);
    return key ? { key, model } : null;
  }

  /** Starts (or joins) the swap to `model` and resolves when it is ready (or already loaded). */
  ensure(target: { key: string; model: string }): Promise<void> {
    const shared = this.waits.get(target.model);
    if (shared) return shared;
    const wait = this.checkThenSwap(target).finally(() => this.waits.delete(target.model));
    this.waits.set(target.model, wait);
    return wait;
  }

  /**
   * The last poll may be stale or may have timed out, so vLLM is asked again before anything is
   * stopped: the model already loaded → no swap; vLLM's state unknown → refuse (503), never swap
   * on a guess; idle or another model loaded → swap.
   */
  private async checkThenSwap(target: { key: string; model: string }): Promise<void> {
    if (this.d.running()?.model !== target.model) {
      const now = await this.d.probe();
      if (now.state === 'loaded' && now.models.includes(target.model)) return;
      if (now.state === 'unknown' || now.state === 'unreachable') {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `Not swapping to ${target.model}: what vLLM serves is unknown right now (${now.error ?? now.state}).`,
          { headers: { 'retry-after': '10' } },
        );
      }
    }
    return this.startAndWait(target);
  }

  private async startAndWait(target: { key: string; model: string }): Promise<void> {
    const running = this.d.running();
    let id: string;
    if (running?.model === target.model) id = running.id;
    else if (running) {
      throw new AppError(
        'CONFLICT',
        `A swap to ${running.display_name} is running; ${target.model} can be loaded when it finishes.`,
      );
    } else id = (await this.d.start(target.key)).id;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(
          new AppError(
            'TIMEOUT',
            `${target.model} did not become ready within ${Math.round(this.d.timeoutMs / 1000)} s`,
          ),
        );
      }, this.d.timeoutMs);
      const off = this.d.bus.subscribe((e) => {
        if (e.type !== 'swap' || e.data.id !== id || !FINAL.has(e.data.state)) return;
        clearTimeout(timer);
        off();
        if (e.data.state === 'ready') resolve();
        else
          reject(
            new AppError('UPSTREAM_ERROR', `Loading ${target.model} failed: ${e.data.error ?? e.data.state}`),
          );
      });
    });
  }
}

/** SSE comment lines: invisible to OpenAI clients' parsers, but they keep the stream alive. */
export const loadingNotice = (model: string, expectedS: number | null) =>
  `: spark-control: loading ${model}${expectedS ? `, expected in about ${Math.round(expectedS)} s` : ''}\n\n`;
