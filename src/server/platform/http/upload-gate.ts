// How many uploads are being received at once: at most `perClient` per client address (429) and
// `total` for everyone (503), both answered before a byte of the body is read. A slot is held
// until the client's response closes, whatever ends it (answer, error, abort, timeout).
import { AppError } from './errors.js';

export class UploadGate {
  private readonly perAddress = new Map<string, number>();
  private active = 0;

  constructor(
    private readonly perClient: number,
    private readonly total: number,
    /** Seconds a refused client is told to wait. */
    private readonly retryAfterS = 10,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** Takes a slot for `address`; returns its release (idempotent), or throws 429 / 503. */
  acquire(address: string): () => void {
    const mine = this.perAddress.get(address) ?? 0;
    const headers = { 'retry-after': String(this.retryAfterS), connection: 'close' };
    if (mine >= this.perClient) {
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `This client already has ${mine} uploads in progress (the limit is ${this.perClient}); ` +
          'wait for one to finish.',
        { headers },
      );
    }
    if (this.active >= this.total) {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The server is receiving ${this.active} uploads, its limit; retry in ${this.retryAfterS} s.`,
        { headers },
      );
    }
    this.perAddress.set(address, mine + 1);
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    };
  }
}
