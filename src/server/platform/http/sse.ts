// Server-sent events over a hijacked Fastify reply. Used by /api/events and every job stream.
// `X-Accel-Buffering: no` stops nginx-style proxies from holding events back; a `:ping` comment
// keeps idle connections (and the proxies between) from timing out.
import type { Server } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface SseChannel {
  /** Sends one message; returns false once the client is gone. */
  send(data: unknown, opts?: { event?: string; id?: string | number }): boolean;
  close(): void;
  readonly closed: boolean;
  onClose(fn: () => void): void;
}

/** A client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Open streams per HTTP server: a hijacked response never ends by itself, so `server.close()`
 * would wait on every connected dashboard forever. Keyed by the server, not global, so apps built
 * side by side (tests) never close each other's streams.
 */
const openChannels = new WeakMap<Server, Set<SseChannel>>();

/** Open event streams on `server` (/api/events, job and log streams): the metrics' SSE clients. */
export function openStreamCount(server: Server): number {
  return openChannels.get(server)?.size ?? 0;
}

/**
 * Before the server closes, every open stream gets `last` (e.g. "server restarting", which the
 * dashboard shows) and is ended, so shutdown does not wait on connected clients.
 */
export function closeStreamsOnShutdown(app: FastifyInstance, last: () => unknown): void {
  app.addHook('preClose', (done) => {
    const channels = openChannels.get(app.server);
    for (const ch of [...(channels ?? [])]) {
      ch.send(last());
      ch.close();
    }
    done();
  });
}

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
  const registry = openChannels.get(req.server.server) ?? new Set<SseChannel>();
  openChannels.set(req.server.server, registry);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    registry.delete(channel);
    for (const fn of listeners.splice(0)) fn();
    // The connection goes too: an idle keep-alive socket would hold up server.close().
    res.end(() => res.socket?.end());
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
  const channel: SseChannel = {
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
  registry.add(channel);
  return channel;
}
