// How many uploads are being received at once: at most `perClient` per client address (429) and
// `total` for everyone (503), both answered before a byte of the body is read. A slot is held
// until the client's response closes, whatever ends it (answer, error, abort, timeout).
import { isIPv6 } from 'node:net';
import { AppError } from './errors.js';
import { releaseOnce } from '../release-once.js';

/**
 * Who counts as one client: an IPv4 address, or an IPv6 /64 (one host usually holds a whole
 * /64, so counting single IPv6 addresses would let it open uploads without limit).
 */
export function clientKey(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

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
  acquire(clientAddress: string): () => void {
    const address = clientKey(clientAddress);
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
    return releaseOnce(() => {
      this.active--;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }
}
