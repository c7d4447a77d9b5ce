// Runs one command line and answers the exit code (see exit-codes.ts). main.ts calls it with the
// real process; the in-process tests call it with captured output and a clean environment.
import { CommanderError } from 'commander';
import { CliError, EXIT, exitCodeForCommanderError, redact } from './exit-codes.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';

export async function runCli(argv: string[], io: CliIo, version: string): Promise<number> {
  const program = buildProgram(version, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    // Commander has already printed its own message (usage, help, version).
    if (e instanceof CommanderError) return exitCodeForCommanderError(e.code);
    const token = program.opts<{ token?: string }>().token ?? io.env.SPARK_CONTROL_TOKEN;
    const message =
      e instanceof CliError ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    io.err(`spark-control: ${redact(message, token)}\n`);
    return e instanceof CliError ? e.exitCode : EXIT.FAILED;
  }
}
