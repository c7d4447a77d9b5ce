#!/usr/bin/env node
// `spark-control`: runs one command and exits with a code scripts can branch on (see exit-codes.ts).
import { CommanderError } from 'commander';
import { VERSION } from '../server/version.js';
import { CliError, EXIT, exitCodeForCommanderError, redact } from './exit-codes.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram(VERSION);
  try {
    await program.parseAsync(argv);
    return EXIT.OK;
  } catch (e) {
    // Commander has already printed its own message (usage, help, version).
    if (e instanceof CommanderError) return exitCodeForCommanderError(e.code);
    const token = program.opts<{ token?: string }>().token;
    const message =
      e instanceof CliError ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    process.stderr.write(`spark-control: ${redact(message, token)}\n`);
    return e instanceof CliError ? e.exitCode : EXIT.FAILED;
  }
}

process.exitCode = await main(process.argv);
