// Bounded input (issue 7 §5): how long a client may take to send a request, and how slowly. The
// numbers live here, each with the reason for its value; `BodyClock` is the pure rule a body is
// judged by (body-guard.ts feeds it bytes and asks it for a verdict once a second).

export interface InputLimits {
  /** Request line and headers must be complete within this (Node answers 408 itself). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Node's own backstop for receiving a whole request (answers a bare 408). */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above. */
  connectionsCheckingIntervalMs: number;
  /** A body that sends no byte for this long is cut off (408). */
  bodyIdleMs: number;
  /** A non-upload (JSON) body must be complete within this. */
  bodyTotalMs: number;
  /** An upload is judged by its rate only after this. */
  uploadGraceMs: number;
  /** The sliding window an upload's rate is averaged over. */
  uploadWindowMs: number;
  /** Slowest average upload rate accepted (bytes per second over the window). */
  uploadMinBytesPerSec: number;
  /** An upload must be complete within this whatever its rate. */
  uploadTotalMs: number;
  /** How often bodies in flight are judged. */
  watchIntervalMs: number;
  /** Uploads one client address may have in flight at once. */
  uploadsPerClient: number;
  /** Uploads the server receives at once, all clients together. */
  uploadsTotal: number;
  /** An upload is held in memory up to this size, then spooled to a temp file. */
  memorySpoolBytes: number;
}

export const INPUT_LIMITS: Readonly<InputLimits> = {
  // A LAN client sends its headers in one packet; 15 s is generous even for a phone waking its
  // radio, and short enough that a slowloris client cannot hold sockets for long.
  headersTimeoutMs: 15_000,
  // Dashboard and gateway clients reuse connections; 65 s outlives the 60 s idle timeout of
  // common reverse proxies (nginx, ALBs), so the proxy closes first and never reuses a dead socket.
  keepAliveTimeoutMs: 65_000,
  // Our own rules (below) answer first with a JSON 408; this only catches what they cannot see.
  requestTimeoutMs: 31 * 60_000,
  // Node's default is 30 s, which would let a 15 s header timeout fire after up to 45 s.
  connectionsCheckingIntervalMs: 5_000,
  // A client that is still sending never pauses 15 s between two packets of one body.
  bodyIdleMs: 15_000,
  // The largest JSON body (16 MB, gateway.max_body_mb) takes under 15 s at 10 Mbit/s.
  bodyTotalMs: 60_000,
  // Lets a client start up (TCP slow start, a phone's radio) before its rate counts.
  uploadGraceMs: 10_000,
  uploadWindowMs: 10_000,
  // 8 KiB/s = 64 kbit/s: slower than any LAN or mobile uplink, but it frees a slot held by a
  // client trickling bytes within ~20 s. (Real-time 16 kHz WAV is already 32 KiB/s.)
  uploadMinBytesPerSec: 8 * 1024,
  // 200 MB (gateway.max_upload_mb) in 30 min needs ~114 KiB/s: any LAN, even a weak Wi-Fi.
  uploadTotalMs: 30 * 60_000,
  watchIntervalMs: 1_000,
  // A client (one address) transcribing a few files in parallel is fine; a flood from one is not.
  uploadsPerClient: 4,
  // A resource ceiling (sockets, spool memory and files), not the defence against slow clients:
  // the rate rule is. Above the 1,000 stalled uploads the benchmark holds open.
  uploadsTotal: 1_024,
  // A short clip (a voice command) never touches the disk; 1,024 uploads × 256 KiB = 256 MiB
  // worst case, and an upload that stops growing is cut off by the rate rule.
  memorySpoolBytes: 256 * 1024,
};

/** The production limits with a test's overrides. */
export const resolveLimits = (overrides: Partial<InputLimits> = {}): InputLimits => ({
  ...INPUT_LIMITS,
  ...overrides,
});

/** The Fastify constructor options that carry the server timeouts. */
export function serverTimeouts(l: InputLimits) {
  return {
    keepAliveTimeout: l.keepAliveTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    http: {
      headersTimeout: l.headersTimeoutMs,
      connectionsCheckingInterval: l.connectionsCheckingIntervalMs,
    },
  };
}

export type BodyKind = 'upload' | 'body';

export interface Verdict {
  reason: 'idle' | 'too-slow' | 'too-long';
  message: string;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The timing of one request body. `received` is told every chunk; `verdict(now)` says whether the
 * body broke a rule. Uploads are judged by their average rate over a sliding window (after a
 * grace period) and a generous total; other bodies by a short total. Both by an idle limit.
 */
export class BodyClock {
  private lastByteAt: number;
  /** Bytes per slice of the window, oldest first: [slice start, bytes]. */
  private readonly slices: [number, number][] = [];
  private readonly sliceMs: number;

  constructor(
    readonly kind: BodyKind,
    private readonly l: InputLimits,
    private readonly startedAt: number,
  ) {
    this.lastByteAt = startedAt;
    this.sliceMs = Math.max(1, Math.floor(l.uploadWindowMs / 10));
  }

  received(bytes: number, now: number): void {
    this.lastByteAt = now;
    if (this.kind !== 'upload') return;
    const slice = now - (now % this.sliceMs);
    const last = this.slices.at(-1);
    if (last && last[0] === slice) last[1] += bytes;
    else this.slices.push([slice, bytes]);
    this.trim(now);
  }

  verdict(now: number): Verdict | null {
    const l = this.l;
    if (now - this.lastByteAt >= l.bodyIdleMs) {
      return {
        reason: 'idle',
        message: `No request body data arrived for ${seconds(now - this.lastByteAt)}; the request was cut off.`,
      };
    }
    const elapsed = now - this.startedAt;
    const total = this.kind === 'upload' ? l.uploadTotalMs : l.bodyTotalMs;
    if (elapsed >= total) {
      return {
        reason: 'too-long',
        message: `The request body did not arrive within ${seconds(total)}; the request was cut off.`,
      };
    }
    if (this.kind === 'upload' && elapsed >= l.uploadGraceMs && this.rate(now) < l.uploadMinBytesPerSec) {
      return {
        reason: 'too-slow',
        message:
          `The upload arrived slower than ${Math.round(l.uploadMinBytesPerSec / 1024)} KiB/s over ` +
          `${seconds(l.uploadWindowMs)}; the request was cut off. Send the file in one go.`,
      };
    }
    return null;
  }

  /** Average bytes per second over the window ending at `now`. */
  rate(now: number): number {
    this.trim(now);
    const bytes = this.slices.reduce((sum, [, b]) => sum + b, 0);
    return (bytes * 1000) / this.l.uploadWindowMs;
  }

  private trim(now: number): void {
    const from = now - this.l.uploadWindowMs;
    while (this.slices.length > 0 && this.slices[0]![0] + this.sliceMs <= from) this.slices.shift();
  }
}
