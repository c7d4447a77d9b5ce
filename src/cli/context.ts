// What every command needs from the global options: a client and how to print.
import type { Command } from 'commander';
import { ApiClient } from './http.js';

export interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

export interface CliContext {
  client: ApiClient;
  json: boolean;
  out: (line: string) => void;
}

export function contextOf(cmd: Command): CliContext {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  return {
    client: new ApiClient({ url: o.url, token: o.token }),
    json: o.json === true,
    out: (line) => process.stdout.write(`${line}\n`),
  };
}

export const printJson = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));
