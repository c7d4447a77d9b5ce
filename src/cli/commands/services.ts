// `spark-control services` (table), `restart <service> [--wait]` (a job on the container) and
// `logs <service> [-f]` (the live container log, GET /api/services/{name}/logs/stream).
import type { Command } from 'commander';
import type { ServiceInfo, ServicesResponse } from '../../common/services-api.js';
import { contextOf, print } from '../context.js';
import { table } from '../format/table.js';
import type { CliIo } from '../io.js';
import { waitForJob } from '../job-wait.js';
import { followLogs, recentLogs } from './logs.js';
import { parseLimit } from './events.js';

function healthCell(s: ServiceInfo): string | null {
  if (s.deep_check?.outcome === 'failed') return `${s.health ?? '-'} (deep check failed)`;
  return s.health;
}

export function formatServices(r: ServicesResponse): string[] {
  if (r.services.length === 0) return ['No services configured.'];
  const lines = table(
    ['NAME', 'KIND', 'NODE', 'CONTAINER', 'DOCKER', 'HEALTH', 'RESTARTS', 'MODELS'],
    r.services.map((s) => [
      s.name,
      s.kind,
      s.node,
      s.container,
      s.job ? `${s.docker_state} (${s.job.phase})` : s.docker_state,
      healthCell(s),
      s.restart_count,
      s.models.join(','),
    ]),
  );
  for (const s of r.services) if (s.error) lines.push(`${s.name}: ${s.error}`);
  return lines;
}

export function registerServices(program: Command, io: CliIo): void {
  program
    .command('services')
    .description('always-on services: docker state, HTTP health, restarts, loaded models')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.client.request<ServicesResponse>('GET', '/api/services');
      print(ctx, r, () => formatServices(r));
    });

  program
    .command('restart')
    .description("restart a service's container (a job; exit 5 while another action runs on it)")
    .argument('<service>', 'service name (see spark-control services)')
    .option('--wait', 'follow the restart until it succeeded (0), failed (1) or was cancelled (8)')
    .action(async (name: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const { job_id } = await ctx.client.request<{ job_id: string }>(
        'POST',
        `/api/services/${encodeURIComponent(name)}/restart`,
      );
      if (!opts.wait) return print(ctx, { job_id }, () => [`Restart job ${job_id} started`]);
      if (!ctx.json) ctx.out(`Restart job ${job_id} started`);
      await waitForJob(ctx, job_id);
    });

  program
    .command('logs')
    .description(
      "a service's container log: the last lines (--tail), or -f to follow until Ctrl-C or the container stops",
    )
    .argument('<service>', 'service name (see spark-control services)')
    .option('-f, --follow', 'print the last 200 lines, then new ones until Ctrl-C or the container stops')
    .option('--tail <n>', 'how many recent lines without -f (1-5000)', parseLimit, 200)
    .action(async (name: string, opts: { follow?: boolean; tail: number }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      await (opts.follow ? followLogs(ctx, name) : recentLogs(ctx, name, opts.tail));
    });
}
