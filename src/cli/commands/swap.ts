// `spark-control swap <key> [--wait]` and `validate <key>`: start a model swap and, with --wait,
// follow it to the end; or run the pre-flight that builds the same argv without swapping.
import type { Command } from 'commander';
import type { SwapInfo, SwapState, ValidateResponse } from '../../common/api.js';
import { parseModelKey } from '../args.js';
import { contextOf, print, printJson } from '../context.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import { pollUntil } from '../follow.js';
import { bar, progressView } from '../format/progress.js';
import { duration, percent } from '../format/units.js';
import type { CliIo } from '../io.js';

const FINAL: readonly SwapState[] = ['ready', 'failed', 'cancelled'];

export const isFinal = (s: SwapState) => FINAL.includes(s);

/** One line per change of state or phase, e.g. `[12s] loading: Loading safetensors shards`. */
export function progressLine(s: SwapInfo): string {
  return `[${Math.round(s.elapsed_s)}s] ${s.state}: ${s.phase}`;
}

/** The redrawn terminal line: state, bar, elapsed against what past swaps of the model took. */
export function progressBarLine(s: SwapInfo): string {
  const fraction = s.state === 'ready' ? 1 : s.progress;
  return `${s.state.padEnd(9)} ${bar(fraction)} ${percent(fraction).padStart(4)}  ${duration(s.elapsed_s)}/${duration(s.expected_s)}  ${s.phase}`;
}

/** Exit 0 only for ready; the reason goes to stderr for the other final states. */
export function outcome(s: SwapInfo): { code: ExitCode; message: string | null } {
  if (s.state === 'ready') return { code: EXIT.OK, message: null };
  if (s.state === 'cancelled') return { code: EXIT.CANCELLED, message: `Swap ${s.id} was cancelled` };
  return { code: EXIT.FAILED, message: `Swap ${s.id} failed: ${s.error ?? s.phase}` };
}

export function describeValidation(v: ValidateResponse): string[] {
  const lines = [
    v.ok ? `ok: the arguments pass (stage ${v.stage})` : `not ok at stage ${v.stage}: ${v.error ?? ''}`,
  ];
  if (v.launch_cmd) lines.push(`launch: ${v.launch_cmd}`);
  for (const w of v.warnings) lines.push(`warning (${w.code}): ${w.message}`);
  return lines;
}

export function registerSwap(program: Command, io: CliIo): void {
  program
    .command('swap')
    .description('switch vLLM to a catalog model; exit 5 while another swap runs or the GPU is locked')
    .argument('<key>', 'catalog key, e.g. qwen3-30b-a3b (see spark-control models)', parseModelKey)
    .option('--holder <name>', 'swap as the GPU lock holder (needed while you hold the lock)')
    .option('--wait', 'follow the swap until it is ready (0), failed (1) or cancelled (8)')
    .action(async (key: string, opts: { holder?: string; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const body = { key, ...(opts.holder ? { holder: opts.holder } : {}) };
      const { id } = await ctx.client.request<{ id: string }>('POST', '/api/swap', body);
      if (!opts.wait) return print(ctx, { id }, () => [`Swap ${id} started`]);
      if (!ctx.json) ctx.out(`Swap ${id} started`);
      const view = progressView(io);
      const final = await pollUntil<SwapInfo>(
        ctx,
        `/api/swap/${encodeURIComponent(id)}`,
        (s) => isFinal(s.state),
        (s) => {
          if (!ctx.json)
            view.update(`${s.state}\n${s.phase}`, io.isTTY ? progressBarLine(s) : progressLine(s));
        },
        `swap ${id}`,
      ).finally(() => view.done());
      if (ctx.json) printJson(ctx, final);
      const result = outcome(final);
      if (result.message) throw new CliError(result.code, result.message);
    });

  program
    .command('validate')
    .description(
      "pre-flight a swap: vLLM's own parser on the exact argv, plus static checks (exit 1 when not ok)",
    )
    .argument('<key>', 'catalog key', parseModelKey)
    .action(async (key: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const v = await ctx.client.request<ValidateResponse>(
        'POST',
        `/api/swap/${encodeURIComponent(key)}/validate`,
      );
      print(ctx, v, () => describeValidation(v));
      if (!v.ok) throw new CliError(EXIT.FAILED, `${key} does not validate: ${v.error ?? v.stage}`);
    });
}
