// Turns a failed SSH connect into the state and message a person sees on the dashboard and in the
// 503 body: what went wrong and what to do, without raw library noise where we can say it better.
import type { HostKeyMismatch } from './known-hosts.js';
import type { ConnectionState } from './transport.js';

export type FailureState = Extract<ConnectionState, { error: string }>;

export interface ConnectFailure {
  err: Error & { level?: string; code?: string };
  /** Set when the host presented a key other than the pinned one. */
  mismatch: HostKeyMismatch | null;
  /** Set when the known-hosts store itself failed (e.g. disk error). */
  verifyError: Error | null;
}

export interface FailureContext {
  user: string;
  host: string;
  port: number;
  probeTimeoutMs: number;
  /** When the node started failing (kept across consecutive failures). */
  since: number;
  retryAt: number;
}

function describe(err: ConnectFailure['err'], c: FailureContext): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused (is sshd listening on port ${c.port}?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable (is it powered on and on the network?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name ${c.host} not found`;
    case 'ECONNRESET':
      return 'connection reset by the host';
  }
  if (err.level === 'client-timeout') return `no SSH answer within ${c.probeTimeoutMs / 1000} s`;
  return err.message;
}

export function failureState(f: ConnectFailure, c: FailureContext): FailureState {
  const { since } = c;
  if (f.mismatch) {
    const { expected, presented } = f.mismatch;
    const error =
      `the SSH host key changed (pinned ${expected}, presented ${presented}); refusing to connect. ` +
      'If this Spark was reinstalled, re-trust it from the dashboard or the API';
    return { state: 'host_key_changed', error, since, expected, presented };
  }
  if (f.err.level === 'client-authentication') {
    const error =
      `the control plane's public key is not authorized on ${c.user}@${c.host} ` +
      `(add it to ~/.ssh/authorized_keys there; "Show public key" has the command)`;
    return { state: 'auth_failed', error, since, retry_at: c.retryAt };
  }
  const error = f.verifyError
    ? `could not check the host key: ${f.verifyError.message}`
    : `cannot connect: ${describe(f.err, c)}`;
  return { state: 'unreachable', error, since, retry_at: c.retryAt };
}
