// How many ffmpeg processes the speech route runs at once. Each one is a whole process on the
// control plane's host; without a bound, a burst of /v1/audio/speech requests (a chat UI reading
// every reply aloud, a script) would start one per request and starve the relay beside them. At
// most `max` run; the next ones wait in line (a client that leaves gives up its place), and when
// the line is `maxWaiting` long a request is refused at once with 503 + Retry-After, as the
// gateway answers for a busy upstream.
import { AppError } from '../../../platform/http/errors.js';
import { EncoderError } from './ffmpeg.js';

interface Waiter {
  go(): void;
}

export class EncoderSlots {
  private running = 0;
  private readonly line: Waiter[] = [];

  constructor(
    readonly max: number,
    readonly maxWaiting: number,
  ) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError('max must be a positive integer');
    if (!(Number.isInteger(maxWaiting) && maxWaiting >= 0))
      throw new RangeError('maxWaiting must be a non-negative integer');
  }

  /** Encoders holding a slot now. */
  get busy(): number {
    return this.running;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.line.length;
  }

  /**
   * A slot, once one is free: resolves with the function that gives it back (calling it twice is
   * harmless). Refused with a 503 when the line is full; rejected when `signal` aborts meanwhile.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw left();
    if (this.running < this.max) {
      this.running++;
      return this.releaser();
    }
    if (this.line.length >= this.maxWaiting)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The speech encoder is busy (${this.running} running, ${this.line.length} waiting); retry shortly.`,
        { headers: { 'retry-after': '1' } },
      );
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        reject(left());
      };
      const waiter: Waiter = {
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
    });
    return this.releaser();
  }

  /** Gives the slot to the next in line (the count stays), or frees it. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.line.shift();
      if (next) next.go();
      else this.running--;
    };
  }
}

const left = () => new EncoderError('ffmpeg', 'the client left while waiting for a free encoder');
