// How many ffmpeg processes the speech route runs at once. Each one is a whole process on the
// control plane's host; without a bound, a burst of /v1/audio/speech requests (a chat UI reading
// every reply aloud, a script) would start one per request and starve the relay beside them. At
// most `max` run; the next ones wait in line (a client that leaves gives up its place), and when
// the line is `maxWaiting` long a request is refused at once with 503 + Retry-After, as the
// gateway answers for a busy upstream. The line itself is the platform's FIFO Semaphore.
import { AppError } from '../../../platform/http/errors.js';
import { Semaphore } from '../../../platform/remote/semaphore.js';
import { EncoderError } from './ffmpeg.js';

export class EncoderSlots {
  private readonly line: Semaphore;

  constructor(
    readonly max: number,
    readonly maxWaiting: number,
  ) {
    if (!(Number.isInteger(maxWaiting) && maxWaiting >= 0))
      throw new RangeError('maxWaiting must be a non-negative integer');
    this.line = new Semaphore(max);
  }

  /** Encoders holding a slot now. */
  get busy(): number {
    return this.line.inUse;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.line.waiting;
  }

  /**
   * A slot, once one is free: resolves with the function that gives it back (calling it twice is
   * harmless). Refused with a 503 when the line is full; rejected when `signal` aborts meanwhile.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw left();
    if (this.busy >= this.max && this.waiting >= this.maxWaiting)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The speech encoder is busy (${this.busy} running, ${this.waiting} waiting); retry shortly.`,
        { headers: { 'retry-after': '1' } },
      );
    try {
      return await this.line.acquire(signal);
    } catch {
      throw left(); // the Semaphore rejects only when `signal` aborts
    }
  }
}

const left = () => new EncoderError('ffmpeg', 'the client left while waiting for a free encoder');
