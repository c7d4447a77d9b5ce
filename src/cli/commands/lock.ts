// `spark-control lock show|acquire|release`: the GPU lock that keeps a model in place while a
// batch job works (POST|GET|DELETE /api/swap/lock).
import { type Command, InvalidArgumentError } from 'commander';
import type { LockResponse } from '../../common/api.js';
import type { CliIo } from '../io.js';
import { contextOf, printJson, type CliContext } from '../context.js';

/** The server allows up to a week; the exact bound is its to enforce (a 400 names it). */
export function parseSeconds(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a whole number of seconds, at least 1');
  return Number(value);
}

export function describeLock(r: LockResponse): string {
  if (!r.locked || !r.lock) return 'GPU lock: free';
  const why = r.lock.reason ? ` (${r.lock.reason})` : '';
  return `GPU lock: held by ${r.lock.holder} until ${r.lock.expires_at}${why}`;
}

const show = (ctx: CliContext, r: LockResponse) => (ctx.json ? printJson(ctx, r) : ctx.out(describeLock(r)));

export function registerLock(program: Command, io: CliIo): void {
  const lock = program.command('lock').description('the GPU lock: who may swap models, until when');

  lock
    .command('show')
    .description('who holds the GPU lock and until when')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      show(ctx, await ctx.client.request<LockResponse>('GET', '/api/swap/lock'));
    });

  lock
    .command('acquire')
    .description('take (or renew) the GPU lock; exit 5 while someone else holds it')
    .requiredOption('--holder <name>', 'who holds it, e.g. nightly-eval')
    .requiredOption('--ttl <seconds>', 'seconds until it expires', parseSeconds)
    .option('--reason <text>', 'shown on the dashboard')
    .action(async (opts: { holder: string; ttl: number; reason?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const body = { holder: opts.holder, ttl_s: opts.ttl, ...(opts.reason ? { reason: opts.reason } : {}) };
      show(ctx, await ctx.client.request<LockResponse>('POST', '/api/swap/lock', body));
    });

  lock
    .command('release')
    .description('release the GPU lock held by --holder (a free lock is fine); exit 5 if another holds it')
    .requiredOption('--holder <name>', 'the holder that took it')
    .action(async (opts: { holder: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      show(
        ctx,
        await ctx.client.request<LockResponse>(
          'DELETE',
          `/api/swap/lock?holder=${encodeURIComponent(opts.holder)}`,
        ),
      );
    });
}
