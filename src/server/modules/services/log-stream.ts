// GET /api/services/{name}/logs/stream: `docker logs -f --tail 200 <container>` over SSH, one SSE
// message per line (ANSI stripped). When the client leaves, the SSH channel is aborted, which sends
// the remote `docker logs` SIGKILL and closes the channel: nothing keeps running on the node.
// Streams hold an SSH channel each, so they are capped per node: the poller must never starve.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { openSse } from '../../platform/http/sse.js';
import { sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validateContainerName } from '../../platform/remote/validators.js';
import { stripAnsi } from './ansi.js';
import type { ServiceDef } from './registry.js';

export const MAX_LOG_STREAMS_PER_NODE = 4;

export const followLogsCommand = (container: string, tail = 200): ShellCommand =>
  sh`docker logs -f --tail ${tail} ${validateContainerName(container)} 2>&1`;

export const recentLogsCommand = (container: string, tail: number): ShellCommand =>
  sh`docker logs --tail ${tail} ${validateContainerName(container)} 2>&1`;

export class LogStreams {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly transport: NodeTransport,
    /** Why this service's node must not be asked now (down, or its state unknown), or null. */
    private readonly unavailable: (def: ServiceDef) => string | null,
    private readonly pingMs?: number,
  ) {}

  count(node: string): number {
    return this.open.get(node) ?? 0;
  }

  /** The last `tail` lines as JSON (GET /api/services/{name}/logs): a look without following. */
  async recent(def: ServiceDef, tail: number): Promise<RecentLogs> {
    const down = this.unavailable(def);
    if (down) throw new AppError('NODE_UNREACHABLE', `Cannot read ${def.name}'s logs: ${down}`);
    return readRecentLogs(this.transport, def, tail);
  }

  /** Checks happen before the response is hijacked, so refusals are plain JSON errors. */
  serve(def: ServiceDef, req: FastifyRequest, reply: FastifyReply): void {
    const down = this.unavailable(def);
    if (down) throw new AppError('NODE_UNREACHABLE', `Cannot read ${def.name}'s logs: ${down}`);
    if (this.count(def.node) >= MAX_LOG_STREAMS_PER_NODE)
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `${MAX_LOG_STREAMS_PER_NODE} log streams are already open on ${def.node}; close one first.`,
      );
    const cmd = followLogsCommand(def.container);
    this.open.set(def.node, this.count(def.node) + 1);
    const ch = openSse(req, reply, { pingMs: this.pingMs });
    const ctrl = new AbortController();
    ch.onClose(() => ctrl.abort());
    const done = () => {
      this.open.set(def.node, Math.max(0, this.count(def.node) - 1));
    };
    this.transport
      .stream(
        def.node,
        cmd,
        (line) => {
          if (!ch.send(stripAnsi(line))) ctrl.abort();
        },
        { signal: ctrl.signal },
      )
      .then((r) => {
        // docker logs -f ends by itself when the container stops (or never existed).
        ch.send({ code: r.code }, { event: 'end' });
      })
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted)
          ch.send({ error: err instanceof Error ? err.message : String(err) }, { event: 'error' });
      })
      .finally(() => {
        done();
        ch.close();
      });
  }
}

export interface RecentLogs {
  service: string;
  node: string;
  container: string;
  lines: string[];
}

/** A container's last `tail` log lines (a look without following), for any service card or the bot's tile. */
export async function readRecentLogs(
  transport: NodeTransport,
  def: Pick<ServiceDef, 'name' | 'node' | 'container'>,
  tail: number,
): Promise<RecentLogs> {
  const r = await transport.exec(def.node, recentLogsCommand(def.container, tail), { timeoutMs: 10_000 });
  const lines = r.stdout.split('\n').map(stripAnsi);
  if (lines.at(-1) === '') lines.pop();
  if (r.code !== 0)
    throw new AppError(
      'UPSTREAM_ERROR',
      `docker logs ${def.container} failed: ${lines.at(-1) ?? `exit ${r.code ?? 'killed'}`}`,
    );
  return { service: def.name, node: def.node, container: def.container, lines };
}
