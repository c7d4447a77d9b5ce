// `spark-control swap <key> [--wait]`: start a model swap and, with --wait, follow it to the end.
import type { Command } from 'commander';
import type { SwapInfo, SwapState } from '../../common/api.js';
import { contextOf, printJson, type CliContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';

const FINAL: readonly SwapState[] = ['ready', 'failed', 'cancelled'];
const POLL_MS = 1000;
/** A control-plane restart mid-swap is survivable (the swap re-attaches); a long outage is not. */
const MAX_MISSED_POLLS = 10;

export const isFinal = (s: SwapState) => FINAL.includes(s);

/** One line per change of state or phase, e.g. `[12s] loading: Loading safetensors shards`. */
export function progressLine(s: SwapInfo): string {
  return `[${Math.round(s.elapsed_s)}s] ${s.state}: ${s.phase}`;
}

/** Exit 0 only for ready; the reason goes to stderr for the other final states. */
export function outcome(s: SwapInfo): { code: number; message: string | null } {
  if (s.state === 'ready') return { code: EXIT.OK, message: null };
  if (s.state === 'cancelled') return { code: EXIT.FAILED, message: `Swap ${s.id} was cancelled` };
  return { code: EXIT.FAILED, message: `Swap ${s.id} failed: ${s.error ?? s.phase}` };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function follow(ctx: CliContext, id: string): Promise<SwapInfo> {
  let last = '';
  let missed = 0;
  for (;;) {
    let s: SwapInfo;
    try {
      s = await ctx.client.request<SwapInfo>('GET', `/api/swap/${encodeURIComponent(id)}`);
      missed = 0;
    } catch (e) {
      if (!(e instanceof CliError) || e.exitCode !== EXIT.UNREACHABLE || ++missed > MAX_MISSED_POLLS) throw e;
      await sleep(POLL_MS);
      continue;
    }
    const seen = `${s.state}\n${s.phase}`;
    if (seen !== last && !ctx.json) ctx.out(progressLine(s));
    last = seen;
    if (isFinal(s.state)) return s;
    await sleep(POLL_MS);
  }
}

export function registerSwap(program: Command): void {
  program
    .command('swap')
    .description('switch vLLM to a catalog model; exit 5 while another swap runs or the GPU is locked')
    .argument('<key>', 'catalog key, e.g. qwen3-30b-a3b (see GET /api/models)')
    .option('--holder <name>', 'swap as the GPU lock holder (needed while you hold the lock)')
    .option('--wait', 'follow the swap until it is ready (exit 0), failed or cancelled (exit 1)')
    .action(async (key: string, opts: { holder?: string; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { key, ...(opts.holder ? { holder: opts.holder } : {}) };
      const { id } = await ctx.client.request<{ id: string }>('POST', '/api/swap', body);
      if (!opts.wait) {
        if (ctx.json) printJson(ctx, { id });
        else ctx.out(`Swap ${id} started`);
        return;
      }
      if (!ctx.json) ctx.out(`Swap ${id} started`);
      const final = await follow(ctx, id);
      if (ctx.json) printJson(ctx, final);
      const result = outcome(final);
      if (result.message) throw new CliError(EXIT.FAILED, result.message);
    });
}
