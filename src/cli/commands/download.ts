// `spark-control download <repo> --nodes a,b [--wait]`: fetch a Hugging Face repo into the HF cache
// of those nodes (POST /api/download → a job); --wait follows it with per-node bytes.
import type { Command } from 'commander';
import type { DownloadJobMeta } from '../../common/downloads-api.js';
import { parseNodeList, parseRepo } from '../args.js';
import { contextOf, print } from '../context.js';
import { bytes } from '../format/units.js';
import type { CliIo } from '../io.js';
import { type JobDetail, waitForJob } from '../job-wait.js';

/** `spark1 1.20 GB/3.10 GB, spark2 done` from the job's per-node progress. */
export function downloadDetail(job: JobDetail): string {
  const nodes = Object.values((job.meta as Partial<DownloadJobMeta>).nodes ?? {});
  return nodes
    .map((n) => {
      if (n.state === 'succeeded') return `${n.node} done`;
      if (n.state === 'failed' || n.state === 'cancelled') return `${n.node} ${n.state}`;
      return `${n.node} ${bytes(n.bytes)}${n.total ? `/${bytes(n.total)}` : ''}`;
    })
    .join(', ');
}

export function registerDownload(program: Command, io: CliIo): void {
  program
    .command('download')
    .description('download a Hugging Face repo onto nodes (a job; exit 5 while a download runs there)')
    .argument('<repo>', 'Hugging Face repo id, e.g. Qwen/Qwen3-0.6B', parseRepo)
    .requiredOption(
      '--nodes <a,b>',
      'the target nodes, comma-separated (see spark-control hw)',
      parseNodeList,
    )
    .option('--wait', 'follow the download until it succeeded (0), failed (1) or was cancelled (8)')
    .action(async (repo: string, opts: { nodes: string[]; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const { job_id } = await ctx.client.request<{ job_id: string }>('POST', '/api/download', {
        repo,
        nodes: opts.nodes,
      });
      if (!opts.wait) return print(ctx, { job_id }, () => [`Download job ${job_id} started`]);
      if (!ctx.json) ctx.out(`Download job ${job_id} started`);
      await waitForJob(ctx, job_id, downloadDetail);
    });
}
