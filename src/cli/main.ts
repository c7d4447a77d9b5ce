#!/usr/bin/env node
// `spark-control`: runs one command and exits with a code scripts can branch on (see exit-codes.ts).
import { VERSION } from '../server/version.js';
import { processIo } from './io.js';
import { runCli } from './run.js';

// Ctrl-C ends a followed stream cleanly (exit 0) and stops waiting for a job (exit 130); a second
// Ctrl-C leaves at once, in case something does not listen.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

process.exitCode = await runCli(process.argv.slice(2), processIo(interrupt.signal), VERSION);
// A followed stream may leave a socket open for a moment after the answer: leave now.
process.exit();
