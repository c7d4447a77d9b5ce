// The global in-flight cap on GPU-bound audio work (SPEC §10, config `audio.gpu_concurrency`): one
// Parakeet GPU serves every transcription, diarization and enrollment, and an unbounded queue in
// front of it would only turn overload into timeouts. Requests take a slot at once or are refused
// (503 + Retry-After) — a long request for its first chunk; the other chunks of a long request or
// job wait for theirs (long-runs.ts bounds how many runs may wait). So that long work cannot
// starve short requests, a refused request makes the waiting chunks leave one slot free for a
// while (long enough for the client's retry): long work then runs one chunk narrower, never
// stops entirely unless the cap is 1.
import { AppError } from '../../platform/http/errors.js';
import { releaseOnce } from '../../platform/release-once.js';

export interface GpuSlotsOptions {
  /** Slots in total (1–3). */
  capacity: number;
  /** Seconds a refused request is told to wait (Retry-After). */
  retryAfterS?: number;
  /** How long after a refusal waiting work keeps a slot free for the retry (ms). */
  yieldMs?: number;
  now?: () => number;
}

type Release = () => void;

interface Waiter {
  resolve(release: Release): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class GpuSlots {
  private active = 0;
  /** Slots held by waiting-acquire work (long jobs' chunks, enrollment from a job). */
  private background = 0;
  private readonly queue: Waiter[] = [];
  private refusedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private readonly retryAfterS: number;
  private readonly yieldMs: number;
  private readonly now: () => number;

  constructor(private readonly o: GpuSlotsOptions) {
    this.retryAfterS = o.retryAfterS ?? 10;
    this.yieldMs = o.yieldMs ?? this.retryAfterS * 2000;
    this.now = o.now ?? Date.now;
  }

  get capacity(): number {
    return this.o.capacity;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Work waiting for a slot (long jobs' chunks). */
  get waiting(): number {
    return this.queue.length;
  }

  /** A slot now, or 503 + Retry-After when every slot is taken (never a queue). */
  tryAcquire(): Release {
    if (this.active >= this.o.capacity) {
      this.refusedAt = this.now();
      this.armYieldEnd();
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The speech GPU is busy: ${this.active} audio requests are running, the limit ` +
          `(audio.gpu_concurrency) is ${this.o.capacity}. Retry in ${this.retryAfterS} s.`,
        { headers: { 'retry-after': String(this.retryAfterS) } },
      );
    }
    this.active++;
    return this.releaser(false);
  }

  /** Waits for a slot (FIFO); rejects with the signal's reason when aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<Release>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const at = this.queue.indexOf(w);
          if (at >= 0) this.queue.splice(at, 1);
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  /** How many slots waiting work may hold right now. */
  private backgroundLimit(): number {
    const yielding = this.now() - this.refusedAt < this.yieldMs;
    return yielding ? this.o.capacity - 1 : this.o.capacity;
  }

  private pump(): void {
    while (
      this.queue.length > 0 &&
      this.active < this.o.capacity &&
      this.background < this.backgroundLimit()
    ) {
      const w = this.queue.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.active++;
      this.background++;
      w.resolve(this.releaser(true));
    }
  }

  /** When the yield window ends, waiting work may take the kept slot again. */
  private armYieldEnd(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.yieldMs + 1);
    this.timer.unref();
  }

  private releaser(background: boolean): Release {
    return releaseOnce(() => {
      this.active--;
      if (background) this.background--;
      this.pump();
    });
  }
}
