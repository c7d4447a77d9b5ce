// `spark-control models`: the catalog with what is loaded and which nodes hold the weights
// (GET /api/models and GET /api/models/disk-status, asked together).
import type { Command } from 'commander';
import type { ModelsResponse } from '../../common/api.js';
import type { DiskStatusResponse, ModelDiskNode } from '../../common/disk-api.js';
import { contextOf, print } from '../context.js';
import { table } from '../format/table.js';
import type { CliIo } from '../io.js';

/** `spark1,spark2` for complete copies; `spark2(partial)`, `spark1(?)` for the rest; `-` for none. */
export function diskMark(nodes: ModelDiskNode[] | undefined): string {
  if (!nodes) return '?';
  const marks = nodes.flatMap((n) => {
    if (n.state === 'present') return [n.node];
    if (n.state === 'incomplete') return [`${n.node}(partial)`];
    if (n.state === 'unknown') return [`${n.node}(?)`];
    return [];
  });
  return marks.join(',') || '-';
}

export function formatModels(m: ModelsResponse, disk: DiskStatusResponse): string[] {
  const onDisk = new Map(disk.models.map((d) => [d.key, d.nodes]));
  const rows = m.models.map((x) => [
    // A space, not '': the table writes '-' for empty cells, and a lone star reads better.
    x.loaded ? '*' : ' ',
    x.key,
    x.mode,
    `${x.size_gb} GB`,
    diskMark(onDisk.get(x.key)),
    x.custom ? 'custom' : 'bundled',
    x.display_name,
  ]);
  const lines = table(['', 'KEY', 'MODE', 'SIZE', 'ON DISK', 'SOURCE', 'NAME'], rows);
  lines.push(m.loaded_model ? `* loaded: ${m.loaded_model}` : '* nothing loaded');
  return lines;
}

export function registerModels(program: Command, io: CliIo): void {
  program
    .command('models')
    .description('the model catalog: * loaded, which nodes hold the weights (--json adds disk_status)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const [models, disk] = await Promise.all([
        ctx.client.request<ModelsResponse>('GET', '/api/models'),
        ctx.client.request<DiskStatusResponse>('GET', '/api/models/disk-status'),
      ]);
      print(ctx, { ...models, disk_status: disk }, () => formatModels(models, disk));
    });
}
