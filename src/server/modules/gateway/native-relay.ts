// The native stream pump (native/splice-relay.c, built by `npm install` when a C compiler is
// there): a thread that carries a spliced stream's tokens from vLLM's socket to the client's, so
// the event loop handles a stream's start and end but none of its tokens. The bench showed why:
// per token, Node's read callback, write request and their garbage cost ~5× nginx's CPU on the one
// JS thread, and that work, queued ahead of new requests, set the gateway's p99 time to first token.
//
// The splice relay (splice-relay.ts) hands a stream over once its head went out through Node —
// at once when vLLM sent the head alone (it does, before the prefill: then the first token is the
// pump's, and `onFirst` tells JS when it went, for the metrics' first-token mark), else after the
// first tokens that came with it — at a chunk boundary, with nothing queued on either socket. It
// gets the stream back once, through `onEnd`:
// the body ended (its last events come back unsent, to leave with the last chunk as the all-JS relay
// sends them; the connection can be reused when nothing followed it), broke off (the in-stream
// error follows through Node, after every byte the pump wrote), or the client went away.
// SPARK_GATEWAY_NATIVE=0 keeps every token in JavaScript.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

export const enum PumpEnd {
  Done = 0,
  Failed = 1,
  ClientGone = 2,
}

/** Not an end: the first bytes of the body reached the client's socket (`take`'s `onFirst`). */
const FIRST_SENT = 3;

/**
 * How a pumped stream ended: `extra` bytes followed vLLM's body (then the socket is not reused);
 * on a clean end, `last` holds the events of the read that ended the body (framed, unsent): the
 * caller writes them with the body's last chunk, in one write.
 */
export type OnPumpEnd = (end: PumpEnd, extra: number, why: string | null, last: Buffer | null) => void;

interface Addon {
  start(
    onEnd: (handle: number, end: PumpEnd, extra: number, why: string | null, last: Buffer | null) => void,
  ): void;
  relay(upstreamFd: number, clientFd: number, timeoutMs: number, tellFirst: boolean): number;
  cancel(handle: number): boolean;
}

/** Where node-gyp puts the addon, from this file in src/ (tsx) or dist/ (tsc): four levels up. */
const ADDON = new URL('../../../../build/Release/splice_relay.node', import.meta.url);

/** A socket's file descriptor (libuv's TCP handle has one on Unix; -1 or absent otherwise). */
function fdOf(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

export class NativePump {
  private readonly streams = new Map<number, { onEnd: OnPumpEnd; onFirst?: () => void }>();
  /** Streams taken since start (tests and diagnostics: a count that cannot be missed, unlike `size`). */
  taken = 0;

  private constructor(private readonly addon: Addon) {
    addon.start((handle, end, extra, why, last) => {
      const stream = this.streams.get(handle);
      if (!stream) return; // cancelled meanwhile: whoever cancelled has ended it
      if ((end as number) === FIRST_SENT) return stream.onFirst?.();
      this.streams.delete(handle);
      stream.onEnd(end, extra, why, last);
    });
  }

  private static loaded: { pump: NativePump | null; why: string | null } | undefined;

  /** The process's pump (one thread for every relay), or null when it was not built (why, in `why`). */
  static load(): { pump: NativePump | null; why: string | null } {
    return (this.loaded ??= NativePump.open());
  }

  private static open(): { pump: NativePump | null; why: string | null } {
    if (process.platform !== 'linux' || !existsSync(ADDON))
      return {
        pump: null,
        why: 'the native stream pump was not built (npm install builds it with a C compiler)',
      };
    try {
      return { pump: new NativePump(createRequire(import.meta.url)(ADDON.pathname) as Addon), why: null };
    } catch (err) {
      return { pump: null, why: `the native stream pump could not be loaded: ${(err as Error).message}` };
    }
  }

  /** Streams being pumped now. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes the stream from `upstream` (whose reads the caller has stopped) to `client`; null when it
   * cannot (no descriptor, every slot taken): the caller goes on relaying in JavaScript. `onFirst`:
   * called once when the pump's first bytes reached the client (a stream handed over before any).
   */
  take(
    upstream: Socket,
    client: Socket,
    timeoutMs: number,
    onEnd: OnPumpEnd,
    onFirst?: () => void,
  ): number | null {
    // A TLS socket's descriptor carries ciphertext: only Node may write to it.
    if ((client as { encrypted?: boolean }).encrypted) return null;
    const up = fdOf(upstream);
    const cl = fdOf(client);
    if (up < 0 || cl < 0) return null;
    const handle = this.addon.relay(up, cl, Math.max(1, Math.round(timeoutMs)), onFirst !== undefined);
    if (handle < 0) return null;
    this.streams.set(handle, { onEnd, onFirst });
    this.taken++;
    return handle;
  }

  /** Takes a stream back (the client left, shutdown); false when it had already ended. */
  cancel(handle: number): boolean {
    this.streams.delete(handle);
    return this.addon.cancel(handle);
  }
}
