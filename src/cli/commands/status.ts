// `spark-control status`: what vLLM is doing, the speech services, and a running swap.
import type { Command } from 'commander';
import type { ServiceStatus, StatusResponse, SwapInfo, VllmStatus } from '../../common/api.js';
import type { CliIo } from '../io.js';
import { contextOf, printJson } from '../context.js';

const pad = (s: string, n: number) => s.padEnd(n);

export function vllmLine(v: VllmStatus): string {
  const parts = [pad('vLLM', 9), pad(v.state, 12)];
  if (v.state === 'loaded' && v.model) parts.push(v.model);
  const reason = v.error ?? v.note;
  if (reason && v.state !== 'loaded') parts.push(reason);
  return parts.join('').trimEnd();
}

export function serviceLine(name: string, s: ServiceStatus): string {
  const state = s.ok ? 'ok' : 'down';
  const detail = s.ok ? (s.base_url ?? s.note ?? '') : (s.error ?? s.note ?? '');
  return `${pad(name, 9)}${pad(state, 12)}${detail}`.trimEnd();
}

export function swapLine(swap: unknown): string | null {
  if (!swap || typeof swap !== 'object') return null;
  const s = swap as Partial<SwapInfo>;
  const elapsed = typeof s.elapsed_s === 'number' ? ` (${Math.round(s.elapsed_s)}s)` : '';
  return `${pad('Swap', 9)}${pad(s.state ?? 'running', 12)}${s.key ?? ''}: ${s.phase ?? ''}${elapsed}`.trimEnd();
}

export function formatStatus(st: StatusResponse): string[] {
  const lines = [vllmLine(st.vllm), serviceLine('Parakeet', st.parakeet), serviceLine('Magpie', st.magpie)];
  const swap = swapLine(st.swap);
  if (swap) lines.push(swap);
  if (st.checked_at) lines.push(`checked at ${st.checked_at}`);
  return lines;
}

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('vLLM state (loaded/idle/loading/unreachable/unknown), speech services, a running swap')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const st = await ctx.client.request<StatusResponse>('GET', '/api/status');
      if (ctx.json) printJson(ctx, st);
      else formatStatus(st).forEach((l) => ctx.out(l));
    });
}
