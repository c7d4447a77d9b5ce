// The command tree. Built by a function so tests can parse arguments without a process.
import { Command, Option } from 'commander';
import { registerLock } from './commands/lock.js';
import { registerStatus } from './commands/status.js';
import { registerSwap } from './commands/swap.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

export const DEFAULT_URL = 'http://127.0.0.1:9999';

export function buildProgram(version: string): Command {
  const program = new Command('spark-control')
    .description('Command-line client for the Spark Control HTTP API')
    .version(version)
    // Set before the subcommands are added: they inherit both settings.
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .addOption(new Option('--url <url>', 'server address').env('SPARK_CONTROL_URL').default(DEFAULT_URL))
    .addOption(
      new Option(
        '--token <token>',
        'admin token, sent as Authorization: Bearer (prefer the env var: arguments show in process lists)',
      ).env('SPARK_CONTROL_TOKEN'),
    )
    .option('--json', 'print the raw JSON answer (for scripts)')
    .addHelpText('afterAll', EXIT_CODES_HELP);
  registerStatus(program);
  registerLock(program);
  registerSwap(program);
  return program;
}
