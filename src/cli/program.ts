// The command tree. Built by a function so tests can parse arguments without a process, with the
// output and environment they choose.
import { Command, Option } from 'commander';
import { registerDownload } from './commands/download.js';
import { registerEvents } from './commands/events.js';
import { registerHw } from './commands/hw.js';
import { registerLock } from './commands/lock.js';
import { registerModels } from './commands/models.js';
import { registerSchedules } from './commands/schedules.js';
import { registerServices } from './commands/services.js';
import { registerStatus } from './commands/status.js';
import { registerSwap } from './commands/swap.js';
import { DEFAULT_URL } from './context.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { CliIo } from './io.js';

export { DEFAULT_URL };

export function buildProgram(version: string, io: CliIo): Command {
  const program = new Command('spark-control')
    .description('Command-line client for the Spark Control HTTP API')
    .version(version)
    // Set before the subcommands are added: they inherit these settings.
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.write(t), writeErr: (t) => io.err(t) })
    .configureHelp({ showGlobalOptions: true })
    // The environment is read in contextOf (from io.env), not by commander from process.env.
    .addOption(new Option('--url <url>', `server address (default: $SPARK_CONTROL_URL, else ${DEFAULT_URL})`))
    .addOption(
      new Option(
        '--token <token>',
        'admin token, sent as Authorization: Bearer (default: $SPARK_CONTROL_TOKEN; prefer the variable: arguments show in process lists)',
      ),
    )
    .option('--json', 'print the raw JSON answer (for scripts)')
    .addHelpText('afterAll', EXIT_CODES_HELP);
  for (const register of [
    registerStatus,
    registerHw,
    registerModels,
    registerSwap,
    registerLock,
    registerSchedules,
    registerDownload,
    registerServices,
    registerEvents,
  ])
    register(program, io);
  return program;
}
