// Server-sent events over a hijacked Fastify reply. Used by /api/events and every job stream.
// `X-Accel-Buffering: no` stops nginx-style proxies from holding events back; a `:ping` comment
// keeps idle connections (and the proxies between) from timing out.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseChannel {
  /** Sends one message; returns false once the client is gone. */
  send(data: unknown, opts?: { event?: string; id?: string | number }): boolean;
  close(): void;
  readonly closed: boolean;
  onClose(fn: () => void): void;
}

/** A client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function openSse(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: { pingMs?: number } = {},
): SseChannel {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  req.raw.socket?.setNoDelay(true);
  let closed = false;
  const listeners: (() => void)[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    for (const fn of listeners.splice(0)) fn();
    res.end();
  };
  const write = (chunk: string): boolean => {
    if (closed) return false;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      close();
      return false;
    }
    res.write(chunk);
    return true;
  };
  const ping = setInterval(() => write(':ping\n\n'), opts.pingMs ?? 15_000);
  ping.unref();
  req.raw.on('close', close);
  res.on('error', close);
  return {
    send(data, o = {}) {
      let msg = '';
      if (o.event) msg += `event: ${o.event}\n`;
      if (o.id !== undefined) msg += `id: ${o.id}\n`;
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      for (const line of text.split('\n')) msg += `data: ${line}\n`;
      return write(`${msg}\n`);
    },
    close,
    get closed() {
      return closed;
    },
    onClose(fn) {
      if (closed) fn();
      else listeners.push(fn);
    },
  };
}
