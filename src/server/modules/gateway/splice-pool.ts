// Keep-alive connections to vLLM for the splice relay (splice-relay.ts): plain net.Sockets, read
// with `onread` into one shared buffer, so a streamed token costs no Readable machinery (no push,
// no 'data' event, no Buffer of its own until the relay copies what it passes on). Whoever holds
// a connection sets `onRead`/`onGone`; an idle one is closed after IDLE_MS (before uvicorn's own
// 5 s, so a request is never written onto a socket the server is closing, as proxy.ts does).
import { isIPv4, isIPv6, connect, type Socket } from 'node:net';

/** Released connections stay open this long. */
export const IDLE_MS = 4_000;
/** A connection not established by then fails (the request is answered "vllm unreachable"). */
const CONNECT_MS = 5_000;

export interface Connection {
  readonly socket: Socket;
  /** The socket connected (a failure before means the upstream was unreachable). */
  connected: boolean;
  /** Handed out from the idle list: it carried an exchange before (the server may be closing it). */
  reused: boolean;
  /** Bytes read; `bytes` lives in the shared buffer only until the call returns. False pauses. */
  onRead(bytes: Buffer): boolean;
  /** The socket ended, failed or closed (`err` when it failed). */
  onGone(err?: Error): void;
}

// One read buffer for every socket: `onread` callbacks run one at a time and copy what they keep.
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** Whether `b` is (a view of) the shared read buffer: the caller must copy it before keeping it. */
export const isShared = (b: Buffer): boolean => b.buffer === readBuffer.buffer;

const ignore = (): boolean => true;

export class SplicePool {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();

  /** When each idle connection was released (its idle timer may fire late on a busy event loop). */
  private readonly idleSince = new WeakMap<Connection, number>();

  constructor(
    private readonly maxConnections: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Room for one more exchange (beyond it the caller uses its queueing relay). */
  get hasRoom(): boolean {
    return this.all.size < this.maxConnections || this.idle.size > 0;
  }

  /**
   * An idle connection to `host:port`, or a new one (writable at once; Node holds the bytes),
   * with its idle timeout set to `timeoutMs`. `fresh`: always a new one.
   */
  take(host: string, port: number, timeoutMs: number, fresh = false): Connection {
    const key = `${host}:${port}`;
    const list = fresh ? undefined : this.idle.get(key);
    let pooled = list?.pop();
    // A socket destroyed a moment ago (its idle timer fired) stays listed until its 'close' event,
    // a tick later: never hand that one out (the bench caught it as 41 "did not answer in time").
    // Nor one idle for IDLE_MS already whose timer has not run yet (a loop lagging under load):
    // the server may be closing it as the request goes out (the bench saw such 502s at load 16).
    while (pooled && (pooled.socket.destroyed || !pooled.socket.writable || this.stale(pooled))) {
      this.all.delete(pooled);
      pooled.socket.destroy();
      pooled = list?.pop();
    }
    if (list && list.length === 0) this.idle.delete(key);
    if (pooled) {
      pooled.socket.setTimeout(timeoutMs);
      pooled.reused = true;
      return pooled;
    }
    let conn: Connection | null = null;
    const socket = connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (n, buf) => conn!.onRead(Buffer.from(buf.buffer, buf.byteOffset, n)),
      },
    });
    socket.setTimeout(timeoutMs);
    const c: Connection = {
      socket,
      connected: false,
      reused: false,
      onRead: ignore,
      onGone: () => undefined,
    };
    conn = c;
    this.all.add(c);
    // As undici's connect timeout in proxy.ts: a LAN host that drops packets is "unreachable" in
    // seconds, not after the kernel's SYN retries.
    const connectTimer = setTimeout(() => socket.destroy(new Error('connect timed out')), CONNECT_MS);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      c.connected = true;
    });
    socket.once('close', () => clearTimeout(connectTimer));
    let failure: Error | undefined;
    socket.on('error', (err) => {
      failure = err;
    });
    // 'end' (the server closed its side) is as final as 'close' for a request/response exchange.
    const gone = () => {
      this.forget(key, c);
      c.onGone(failure);
      c.onGone = () => undefined;
    };
    socket.once('end', gone);
    socket.once('close', gone);
    socket.on('timeout', () => {
      this.forget(key, c);
      socket.destroy(new Error('timed out'));
    });
    return c;
  }

  /** The exchange ended cleanly: the connection waits for the next one. */
  release(host: string, port: number, c: Connection): void {
    if (c.socket.destroyed) return;
    // Anything the server sends while idle is a protocol error: the connection is not reused.
    c.onRead = () => {
      c.socket.destroy();
      return false;
    };
    c.onGone = () => undefined;
    c.socket.setTimeout(IDLE_MS);
    this.idleSince.set(c, this.now());
    const key = `${host}:${port}`;
    const list = this.idle.get(key);
    if (list) list.push(c);
    else this.idle.set(key, [c]);
  }

  private stale(c: Connection): boolean {
    return this.now() - (this.idleSince.get(c) ?? Infinity) >= IDLE_MS;
  }

  private forget(key: string, c: Connection): void {
    this.all.delete(c);
    const list = this.idle.get(key);
    const i = list?.indexOf(c) ?? -1;
    if (i >= 0) list!.splice(i, 1);
    if (list?.length === 0) this.idle.delete(key);
  }

  /** Closes every connection, idle or busy (server shutdown). */
  destroy(): void {
    for (const c of [...this.all]) c.socket.destroy();
  }
}

/**
 * The splice relay only talks to an upstream on this machine or its LAN, over plain http: a
 * loopback or private address, or a name that is local by shape (`spark1`, `spark1.local`).
 */
export function isLanOrigin(url: URL): boolean {
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIPv4(host)) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (isIPv6(host)) return host === '::1' || /^f[cd]/i.test(host) || /^fe80:/i.test(host);
  return host === 'localhost' || !host.includes('.') || host.endsWith('.local');
}
