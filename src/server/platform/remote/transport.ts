// The one seam between the control plane and the Sparks. Services depend on this interface;
// the ssh2 pool implements it, and tests use that same pool against the simulator's SSH servers.
import type { ShellCommand } from './sh.js';

export interface ExecResult {
  /** Exit code, or null when the command was killed by a signal / aborted. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Give up (and reject with a TIMEOUT error) after this many ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to the command's stdin, then stdin is closed. Secrets travel this way, never in argv. */
  stdin?: string | Buffer;
}

export type StreamName = 'stdout' | 'stderr';

/** Connection state of one node as the transport sees it. */
export type ConnectionState =
  | { state: 'idle' | 'connecting' | 'connected' }
  | { state: 'unreachable'; error: string; since: number; retry_at: number }
  | { state: 'auth_failed'; error: string; since: number; retry_at: number }
  | { state: 'host_key_changed'; error: string; since: number; expected: string; presented: string };

/**
 * Errors (all AppError unless noted): UNKNOWN_NODE; NODE_UNREACHABLE (cannot connect, cooling down
 * after a failure, auth failed, host key changed, connection lost mid-command); TIMEOUT. When
 * `signal` aborts, the promise rejects with `signal.reason` (a DOMException named 'AbortError' by
 * default). On timeout or abort the remote command is sent SIGKILL and its channel is closed.
 * A non-zero exit status is a normal result, not an error.
 */
export interface NodeTransport {
  exec(node: string, cmd: ShellCommand, opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs a command and calls onLine for each complete line as it arrives. Resolves when it exits.
   * `\n`, `\r\n` and a lone `\r` (progress bars) end a line; a final partial line is flushed. The
   * result's stdout/stderr hold only the last 64 KiB of each stream. A throwing onLine stops the
   * command and becomes the rejection.
   */
  stream(
    node: string,
    cmd: ShellCommand,
    onLine: (line: string, stream: StreamName) => void,
    opts?: Omit<ExecOptions, 'timeoutMs'> & { timeoutMs?: number },
  ): Promise<ExecResult>;
  state(node: string): ConnectionState;
  /** Forget the pinned host key of a node (after the owner confirms it was reinstalled) and reconnect. */
  retrust(node: string): Promise<void>;
  /**
   * Connect now, skipping a failure's wait (the owner just authorized the key or powered the node
   * on). Rejects like `exec` when the attempt fails; `state()` then says why.
   */
  checkNow(node: string): Promise<void>;
  close(): Promise<void>;
}
