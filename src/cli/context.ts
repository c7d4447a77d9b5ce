// What every command needs from the global options: a client and how to print.
import type { Command } from 'commander';
import { ApiClient } from './http.js';
import type { CliIo } from './io.js';

export const DEFAULT_URL = 'http://127.0.0.1:9999';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface CliContext {
  client: ApiClient;
  json: boolean;
  io: CliIo;
  out: (line: string) => void;
}

/** Options win over the environment (read from `io.env`, so tests never see the developer's). */
export function contextOf(cmd: Command, io: CliIo): CliContext {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  return {
    client: new ApiClient({
      url: o.url ?? io.env.SPARK_CONTROL_URL ?? DEFAULT_URL,
      token: o.token ?? io.env.SPARK_CONTROL_TOKEN,
      signal: io.signal,
    }),
    json: o.json === true,
    io,
    out: io.out,
  };
}

export const printJson = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

/** The raw answer with --json, otherwise the human lines. */
export function print(ctx: CliContext, value: unknown, human: () => string[]): void {
  if (ctx.json) printJson(ctx, value);
  else for (const line of human()) ctx.out(line);
}
