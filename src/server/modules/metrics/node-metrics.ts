// Node hardware from the hardware sampler's latest sample per node (nodes module): GPU, unified
// memory, RAM, load, disk, and whether the node answered its last probe. Nothing here probes.
import type { HardwareSnapshot, NodeHardware } from '../../../common/api.js';
import { ratio } from './labels.js';
import type { Sample, Scrape } from './scrape.js';

type Read = (h: NodeHardware) => number | null | undefined;

/** name, help, value: one gauge labelled by node each. */
const PER_NODE: [string, string, Read][] = [
  ['node_up', '1 when the node answered its last hardware probe, 0 when not', (h) => (h.ok ? 1 : 0)],
  ['node_sample_age_seconds', "Age of the node's latest hardware sample", (h) => h.age_s],
  ['node_uptime_seconds', 'Seconds since the node booted', (h) => h.uptime_s],
  ['node_load1', 'Load average over 1 minute', (h) => h.load1],
  ['node_load5', 'Load average over 5 minutes', (h) => h.load5],
  ['node_load15', 'Load average over 15 minutes', (h) => h.load15],
  ['node_cpus', 'CPU cores', (h) => h.cores],
  ['node_memory_total_bytes', 'System RAM', (h) => h.ram_total],
  ['node_memory_used_bytes', 'System RAM in use', (h) => h.ram_used],
  ['node_memory_available_bytes', 'System RAM available', (h) => h.ram_available],
  ['gpu_utilization_ratio', 'GPU utilization (0-1)', (h) => ratio(h.gpu?.util_pct)],
  ['gpu_temperature_celsius', 'GPU temperature', (h) => h.gpu?.temp_c],
  ['gpu_power_watts', 'GPU power draw', (h) => h.gpu?.power_w],
  [
    'gpu_memory_used_bytes',
    'GPU memory used by compute processes (unified memory on GB10)',
    (h) => h.gpu_mem_used,
  ],
  [
    'gpu_memory_total_bytes',
    'GPU memory the used figure counts against (system RAM on GB10, unified memory)',
    (h) => h.gpu_mem_total,
  ],
];

const DISK: [string, string, 'total' | 'used' | 'free'][] = [
  ['node_filesystem_size_bytes', 'Filesystem size', 'total'],
  ['node_filesystem_used_bytes', 'Filesystem space used', 'used'],
  ['node_filesystem_free_bytes', 'Filesystem space free', 'free'],
];

function* disks(snap: HardwareSnapshot, field: 'total' | 'used' | 'free'): Iterable<Sample<'node' | 'fs'>> {
  for (const h of Object.values(snap)) {
    const root = { total: h.disk_total, used: h.disk_used, free: h.disk_free }[field];
    yield [{ node: h.name, fs: 'root' }, root];
    if (h.hf_cache) yield [{ node: h.name, fs: 'hf_cache' }, h.hf_cache[field]];
  }
}

export function nodeMetrics(s: Scrape, hardware: () => HardwareSnapshot): void {
  const snap = s.perScrape(hardware);
  for (const [name, help, read] of PER_NODE) {
    s.gauge(name, help, ['node'], function* () {
      for (const h of Object.values(snap())) yield [{ node: h.name }, read(h)];
    });
  }
  for (const [name, help, field] of DISK) {
    s.gauge(name, `${help}; fs="root" is /, fs="hf_cache" the Hugging Face cache's`, ['node', 'fs'], () =>
      disks(snap(), field),
    );
  }
}
