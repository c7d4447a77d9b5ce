// What the CLI's exit status means, in one place: scripts and cron jobs branch on these numbers,
// so they are part of the CLI's contract (documented in --help and the README).

export const EXIT = {
  OK: 0,
  /** The operation ran and failed: a swap or job ended failed, validation said no. */
  FAILED: 1,
  /** Bad arguments: caught here, or refused by the server with 400. */
  USAGE: 2,
  /** No answer from the server (refused, timed out, not HTTP). */
  UNREACHABLE: 3,
  /** Admin auth is on and no valid token was sent (401/403). */
  UNAUTHORIZED: 4,
  /** The server refused because of the current state (409: the GPU lock is held, a swap is running). */
  REFUSED: 5,
  /** The server refused the request for another reason (4xx: 404 no such model/service/job, 429, …). */
  REJECTED: 6,
  /** The server failed (5xx, e.g. 503 when a node is unreachable). */
  SERVER_ERROR: 7,
  /** A swap or job was cancelled (by someone else, or it was stopped). */
  CANCELLED: 8,
  /** Ctrl-C while waiting for a swap or job: it goes on on the server (shell convention 128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0    ok (also: a followed log or event stream ended, or Ctrl-C ended it)
  1    the operation failed (a swap or job failed, validation said no)
  2    usage error (bad arguments, or a 400 from the server)
  3    cannot reach the server
  4    unauthorized (401/403): admin auth is on, pass --token or SPARK_CONTROL_TOKEN
  5    refused (409): the GPU lock is held, a swap or job is running
  6    rejected (other 4xx: 404 no such model, service or job; 429 too many)
  7    server error (5xx, e.g. 503 when a node is unreachable)
  8    the swap or job was cancelled
  130  Ctrl-C while waiting (the swap or job goes on on the server)`;

export const AUTH_HINT = 'admin auth is on: pass --token or SPARK_CONTROL_TOKEN';

/** An error the CLI reports and exits with; `message` is shown as is on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code for an HTTP error status from the server. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.UNAUTHORIZED;
  if (status === 409) return EXIT.REFUSED;
  if (status === 400) return EXIT.USAGE;
  if (status >= 500) return EXIT.SERVER_ERROR;
  return EXIT.REJECTED;
}

/**
 * Commander reports help and version as errors too (under exitOverride): those are exit 0, every
 * other parse problem (unknown option, missing argument, bad value) is a usage error.
 */
export function exitCodeForCommanderError(code: string): ExitCode {
  return code === 'commander.helpDisplayed' || code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
}

/** Removes the token from any text we print, whatever produced it (a library's error message). */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}
