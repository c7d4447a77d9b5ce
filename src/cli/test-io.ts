// For tests: a CliIo that captures stdout/stderr, with only the environment the test gives.
import type { CliIo } from './io.js';

export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
  /** Ctrl-C, as main.ts does on SIGINT. */
  interrupt(): void;
}

export function captureIo(
  o: { env?: Record<string, string>; isTTY?: boolean; columns?: number } = {},
): CapturedIo {
  let stdout = '';
  let stderr = '';
  const ctrl = new AbortController();
  return {
    out: (line) => (stdout += `${line}\n`),
    write: (text) => (stdout += text),
    err: (text) => (stderr += text),
    isTTY: o.isTTY ?? false,
    columns: o.columns ?? 80,
    env: o.env ?? {},
    signal: ctrl.signal,
    stdout: () => stdout,
    stderr: () => stderr,
    interrupt: () => ctrl.abort(),
  };
}
