// `spark-control schedules add|list|rm`: read-only entries an external scheduler (cron, a batch
// system) registers so the dashboard shows what will swap when (POST|GET /api/schedules,
// DELETE /api/schedules/{id}). The entries are shown, never run, by Spark Control.
import type { Command } from 'commander';
import type { ScheduleEntry } from '../../common/api.js';
import { parseModelKey } from '../args.js';
import { contextOf, print } from '../context.js';
import { table } from '../format/table.js';
import type { CliIo } from '../io.js';

export function formatSchedules(list: ScheduleEntry[]): string[] {
  if (list.length === 0) return ['No schedules registered.'];
  return table(
    ['ID', 'NAME', 'SCHEDULE', 'MODEL', 'OWNER', 'NEXT RUN'],
    list.map((s) => [s.id, s.name, s.schedule, s.model_key, s.owner, s.next_run]),
  );
}

interface AddOptions {
  name: string;
  schedule: string;
  model?: string;
  owner?: string;
  description?: string;
  nextRun?: string;
}

export function registerSchedules(program: Command, io: CliIo): void {
  const schedules = program
    .command('schedules')
    .description('schedule entries external schedulers register for the dashboard (shown, not run)');

  schedules
    .command('add')
    .description('register an entry (the same name and owner replaces it)')
    .requiredOption('--name <name>', 'e.g. nightly-eval')
    .requiredOption('--schedule <when>', 'cron expression or free text, shown as is, e.g. "0 2 * * *"')
    .option('--model <key>', 'the catalog model it swaps to', parseModelKey)
    .option('--owner <who>', 'who runs it')
    .option('--description <text>', 'what it does')
    .option('--next-run <iso>', 'next run as ISO 8601, e.g. 2026-01-01T02:00:00Z')
    .action(async (o: AddOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const body = {
        name: o.name,
        schedule: o.schedule,
        ...(o.model ? { model_key: o.model } : {}),
        ...(o.owner ? { owner: o.owner } : {}),
        ...(o.description ? { description: o.description } : {}),
        ...(o.nextRun ? { next_run: o.nextRun } : {}),
      };
      const entry = await ctx.client.request<ScheduleEntry>('POST', '/api/schedules', body);
      print(ctx, entry, () => [`Schedule ${entry.id} registered: ${entry.name} (${entry.schedule})`]);
    });

  schedules
    .command('list')
    .description('every registered entry')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.client.request<{ schedules: ScheduleEntry[] }>('GET', '/api/schedules');
      print(ctx, r, () => formatSchedules(r.schedules));
    });

  schedules
    .command('rm')
    .description('remove an entry by its id (see schedules list)')
    .argument('<id>', 'the entry id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.client.request<{ ok: boolean; id: string }>(
        'DELETE',
        `/api/schedules/${encodeURIComponent(id)}`,
      );
      print(ctx, r, () => [`Schedule ${r.id} removed`]);
    });
}
