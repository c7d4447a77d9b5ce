// NodeTransport over ssh2: one persistent connection per (host, port, user), at most
// `maxChannelsPerConnection` commands at once on it, per-call timeout and cancellation.
//
// Cancellation contract (exec and stream alike): on timeout the promise rejects with
// AppError('TIMEOUT'); when the caller's AbortSignal fires it rejects with `signal.reason` (a
// DOMException named 'AbortError' unless the caller passed its own reason). Either way the remote
// command is sent SIGKILL and its channel is closed. A non-zero exit status is a normal result.
import { AppError } from '../http/errors.js';
import { SshConnection, type HostKeyStore, type TransportLogger } from './connection.js';
import { LineSplitter } from './line-splitter.js';
import { commandNeverStarted, runChannel } from './run-channel.js';
import { isShellCommand, type ShellCommand } from './sh.js';
import type { ConnectionState, ExecOptions, ExecResult, NodeTransport, StreamName } from './transport.js';

export type { TransportLogger, HostKeyStore } from './connection.js';

export interface SshNode {
  name: string;
  host: string;
  port: number;
  user: string;
}

export interface SshTransportOptions {
  nodes: SshNode[];
  /** OpenSSH-format private key (see keys.ts). */
  privateKey: Buffer | string;
  knownHosts: HostKeyStore;
  logger?: TransportLogger;
  /** Budget for TCP connect + SSH handshake + auth. */
  probeTimeoutMs?: number;
  /** After a failed connect, calls fail at once for this long before the next attempt. */
  failureCooldownMs?: number;
  /** OpenSSH's MaxSessions defaults to 10; stay below it. */
  maxChannelsPerConnection?: number;
  keepaliveIntervalMs?: number;
}

/** `stream()` hands every line to the caller; the result keeps only this much of each stream's tail. */
const STREAM_KEEP_BYTES = 64 * 1024;

const silent: TransportLogger = { warn: () => {}, info: () => {}, debug: () => {} };

const timedOut = (node: string, ms: number) =>
  new AppError('TIMEOUT', `${node}: the command did not finish within ${ms} ms`);

/** Rejects as soon as `signal` aborts, without cancelling `p` (a connect is shared with other callers). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function createSshTransport(opts: SshTransportOptions): NodeTransport {
  const logger = opts.logger ?? silent;
  const byNode = new Map<string, SshConnection>();
  const byTarget = new Map<string, SshConnection>();
  for (const n of opts.nodes) {
    if (byNode.has(n.name)) throw new AppError('INTERNAL', `node "${n.name}" is configured twice`);
    const key = `${n.user}@${n.host}:${n.port}`;
    let conn = byTarget.get(key);
    if (!conn) {
      conn = new SshConnection({
        ...n,
        privateKey: opts.privateKey,
        knownHosts: opts.knownHosts,
        logger,
        probeTimeoutMs: opts.probeTimeoutMs ?? 6000,
        failureCooldownMs: opts.failureCooldownMs ?? 25_000,
        keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 10_000,
        maxChannels: opts.maxChannelsPerConnection ?? 8,
      });
      byTarget.set(key, conn);
    }
    byNode.set(n.name, conn);
  }

  const lookup = (node: string): SshConnection => {
    const conn = byNode.get(node);
    if (conn) return conn;
    throw new AppError('UNKNOWN_NODE', `unknown node ${JSON.stringify(String(node)).slice(0, 80)}`);
  };

  async function run(
    node: string,
    cmd: ShellCommand,
    o: ExecOptions,
    extra: { keepBytes: number; onChunk?: (s: StreamName, b: Buffer) => void },
  ): Promise<ExecResult> {
    const conn = lookup(node);
    if (!isShellCommand(cmd)) throw new AppError('INTERNAL', 'commands must be built with sh`…`');
    const ctl = new AbortController();
    const ms = o.timeoutMs;
    const timer = ms === undefined ? undefined : setTimeout(() => ctl.abort(timedOut(node, ms)), ms);
    const onAbort = () => ctl.abort(o.signal?.reason);
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    // Command text may carry user data: debug level only.
    logger.debug({ node, cmd: cmd.text }, 'ssh: exec');
    try {
      for (let attempt = 0; ; attempt++) {
        const client = await untilAborted(conn.getClient(), ctl.signal);
        const release = await conn.channels.acquire(ctl.signal);
        try {
          return await runChannel(client, cmd.text, {
            stdin: o.stdin,
            signal: ctl.signal,
            onChunk: extra.onChunk,
            keepBytes: extra.keepBytes,
            release,
            isLive: () => conn.isLive(client),
            name: node,
          });
        } catch (e) {
          // The connection died between getClient() and opening the channel: nothing ran, so one
          // retry on a fresh connection is safe and hides a routine reconnect from the caller.
          if (attempt === 0 && commandNeverStarted(e) && !ctl.signal.aborted) {
            conn.discard(client);
            continue;
          }
          throw e;
        }
      }
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    exec(node, cmd, o = {}) {
      return run(node, cmd, o, { keepBytes: Infinity });
    },

    async stream(node, cmd, onLine, o = {}) {
      // A throwing onLine stops the command and becomes the rejection.
      const local = new AbortController();
      const signal = o.signal ? AbortSignal.any([o.signal, local.signal]) : local.signal;
      const deliver = (stream: StreamName) => (line: string) => {
        if (signal.aborted) return; // nothing reaches the caller after a cancel
        try {
          onLine(line, stream);
        } catch (e) {
          local.abort(e);
        }
      };
      const splitters = {
        stdout: new LineSplitter(deliver('stdout')),
        stderr: new LineSplitter(deliver('stderr')),
      };
      const result = await run(
        node,
        cmd,
        { ...o, signal },
        {
          keepBytes: STREAM_KEEP_BYTES,
          onChunk: (s, b) => splitters[s].push(b),
        },
      );
      splitters.stdout.flush();
      splitters.stderr.flush();
      if (local.signal.aborted) throw local.signal.reason;
      return result;
    },

    state(node): ConnectionState {
      return lookup(node).state();
    },

    retrust(node) {
      return lookup(node).retrust();
    },

    checkNow(node) {
      return lookup(node).checkNow();
    },

    async close() {
      await Promise.all([...byTarget.values()].map((c) => c.close()));
    },
  };
}
