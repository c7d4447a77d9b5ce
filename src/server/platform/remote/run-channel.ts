// Runs one command on one open SSH connection: opens an exec channel, feeds stdin, collects output
// and the exit status. Cancelling (timeout or AbortSignal) sends SIGKILL to the remote command and
// closes the channel — closing alone would leave a command that never writes running on the Spark.
import type ssh2 from 'ssh2';
import { AppError } from '../http/errors.js';
import type { ExecResult, StreamName } from './transport.js';

export interface RunChannelOptions {
  stdin?: string | Buffer;
  /** Aborted on timeout or by the caller; its reason is what the promise rejects with. */
  signal: AbortSignal;
  onChunk?: (stream: StreamName, chunk: Buffer) => void;
  /** Bytes of output kept per stream (the newest ones); Infinity for exec. */
  keepBytes: number;
  /** Frees the channel slot; called once the channel is really closed (or never opened). */
  release: () => void;
  /** Whether the SSH connection is still up, to tell "killed" apart from "connection lost". */
  isLive: () => boolean;
  /** For error messages, e.g. `spark1`. */
  name: string;
}

/** Keeps the newest `max` bytes of a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size > this.max) {
      const first = this.chunks[0]!;
      const excess = this.size - this.max;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Errors raised before the remote command could have started: safe to retry on a new connection. */
const neverStarted = new WeakSet<object>();
export const commandNeverStarted = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && neverStarted.has(e);

/** ssh2 internals used by sendKill; checked at run time so an ssh2 upgrade degrades to ch.signal(). */
interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
}

function sendKill(ch: ssh2.ClientChannel): void {
  // ssh2's signal() is a no-op once our side sent EOF (stream no longer "writable"), and we always send
  // EOF right after the command starts. The request is still valid while the channel is open, so
  // send it through the protocol directly (our half is then in state 'eof'). OpenSSH (>= 7.9)
  // killpg()s the command's process group on receipt.
  const c = ch as unknown as ChannelInternals;
  const proto = c._client?._protocol;
  const id = c.outgoing?.id;
  const open = c.outgoing?.state === 'open' || c.outgoing?.state === 'eof';
  if (open && typeof id === 'number' && typeof proto?.signal === 'function') {
    proto.signal(id, 'KILL');
  } else {
    ch.signal('KILL');
  }
}

function kill(channel: ssh2.ClientChannel): void {
  // Either call may throw once the channel is already closing; the other one still matters.
  try {
    sendKill(channel);
  } catch {
    // ignore
  }
  try {
    channel.close();
  } catch {
    // ignore
  }
}

export function runChannel(client: ssh2.Client, command: string, o: RunChannelOptions): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let channel: ssh2.ClientChannel | null = null;
    let done = false;
    const finish = (err: unknown, result?: ExecResult) => {
      if (done) return;
      done = true;
      o.signal.removeEventListener('abort', onAbort);
      if (err === null) resolve(result!);
      else reject(err);
    };
    const onAbort = () => {
      if (channel) kill(channel);
      finish(o.signal.reason);
    };
    const lost = (cause: unknown) => {
      const message = `${o.name}: the SSH connection was lost before the command started`;
      const e = new AppError('NODE_UNREACHABLE', message, { cause });
      neverStarted.add(e);
      return e;
    };

    if (o.signal.aborted) {
      o.release();
      finish(o.signal.reason);
      return;
    }
    o.signal.addEventListener('abort', onAbort, { once: true });

    const onOpen = (err: Error | undefined, ch: ssh2.ClientChannel) => {
      if (err) {
        o.release();
        const refused = /open failed|administratively prohibited/i.test(err.message);
        finish(
          refused && o.isLive()
            ? new AppError('UPSTREAM_ERROR', `${o.name}: the SSH server refused to open a session`, {
                cause: err,
              })
            : lost(err),
        );
        return;
      }
      ch.once('close', o.release);
      if (done) {
        // Cancelled while the channel was opening: the command may already be starting.
        kill(ch);
        return;
      }
      channel = ch;
      const stdout = new Tail(o.keepBytes);
      const stderr = new Tail(o.keepBytes);
      let code: number | null = null;
      let exited = false;
      // After a cancel the caller has its answer: late output is dropped, not delivered.
      ch.on('data', (b: Buffer) => {
        if (done) return;
        stdout.push(b);
        o.onChunk?.('stdout', b);
      });
      ch.stderr.on('data', (b: Buffer) => {
        if (done) return;
        stderr.push(b);
        o.onChunk?.('stderr', b);
      });
      ch.on('exit', (c: number | null) => {
        exited = true;
        code = c;
      });
      ch.on('error', (e: Error) => finish(e));
      ch.on('close', () => {
        if (!exited && !o.isLive()) {
          finish(
            new AppError('NODE_UNREACHABLE', `${o.name}: the SSH connection was lost while the command ran`),
          );
          return;
        }
        finish(null, { code, stdout: stdout.text(), stderr: stderr.text() });
      });
      // Always send EOF: a command reading stdin must never wait for input that cannot come.
      if (o.stdin === undefined) ch.end();
      else ch.end(o.stdin);
    };

    try {
      client.exec(command, onOpen);
    } catch (e) {
      // ssh2 throws "Not connected" synchronously when the socket died a moment ago.
      o.release();
      finish(lost(e));
    }
  });
}
