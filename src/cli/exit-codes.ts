// What the CLI's exit status means, in one place: scripts and cron jobs branch on these numbers,
// so they are part of the CLI's contract (documented in --help and the README).

export const EXIT = {
  OK: 0,
  /** The operation ran and failed: a swap ended failed or cancelled, the server answered an error. */
  FAILED: 1,
  /** Bad arguments: caught here, or refused by the server with 400. */
  USAGE: 2,
  /** No answer from the server (refused, timed out, not HTTP). */
  UNREACHABLE: 3,
  /** Admin auth is on and no valid token was sent (401/403). */
  UNAUTHORIZED: 4,
  /** The server refused because of the current state (409: the GPU lock is held, a swap is running). */
  REFUSED: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  the operation failed (swap failed or cancelled, server error)
  2  usage error (bad arguments, or a 400 from the server)
  3  cannot reach the server
  4  unauthorized (401/403): admin auth is on, pass --token or SPARK_CONTROL_TOKEN
  5  refused (409): the GPU lock is held or a swap is running`;

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
  return EXIT.FAILED;
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
