// `spark-control hw`: each node's latest hardware sample as one table row (GET /api/hardware).
import type { Command } from 'commander';
import type { HardwareSnapshot, NodeHardware } from '../../common/api.js';
import { contextOf, print } from '../context.js';
import { table } from '../format/table.js';
import { bytes, duration, percent, usedOf } from '../format/units.js';
import type { CliIo } from '../io.js';

const HEADER = ['NODE', 'STATE', 'GPU', 'TEMP', 'POWER', 'GPU MEM', 'RAM', 'LOAD', 'DISK FREE', 'UP'];

function row(n: NodeHardware): (string | null)[] {
  const state = n.ok ? 'up' : n.waking_since ? 'waking' : (n.error_kind ?? 'down');
  const gpu = n.gpu;
  const load = n.load1 === null ? null : `${n.load1.toFixed(2)}${n.cores ? `/${n.cores}` : ''}`;
  return [
    n.name,
    state,
    gpu ? percent(gpu.util_pct, 1) : null,
    gpu?.temp_c === null || gpu?.temp_c === undefined ? null : `${Math.round(gpu.temp_c)}C`,
    gpu?.power_w === null || gpu?.power_w === undefined ? null : `${Math.round(gpu.power_w)}W`,
    n.gpu_mem_used === null ? null : usedOf(n.gpu_mem_used, n.gpu_mem_total),
    n.ram_used === null ? null : usedOf(n.ram_used, n.ram_total),
    load,
    n.disk_free === null ? null : bytes(n.disk_free),
    n.uptime_s === null ? null : duration(n.uptime_s),
  ];
}

export function formatHardware(snapshot: HardwareSnapshot): string[] {
  const nodes = Object.values(snapshot);
  if (nodes.length === 0) return ['No nodes configured.'];
  const errors = nodes.filter((n) => !n.ok && n.error).map((n) => `${n.name}: ${n.error}`);
  return [...table(HEADER, nodes.map(row)), ...errors];
}

export function registerHw(program: Command, io: CliIo): void {
  program
    .command('hw')
    .description('hardware per node: GPU use, temperature, power, memory, load, disk, uptime')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const hw = await ctx.client.request<HardwareSnapshot>('GET', '/api/hardware');
      print(ctx, hw, () => formatHardware(hw));
    });
}
