// The bars of a reachable node: CPU, RAM, GPU memory/util/temp/power, disks.
import { memo } from 'react';
import type { NodeHardware } from '../../common/api.js';
import { formatBytePair, formatPct } from '../lib/format.js';
import { GPU_POWER_REF_W, hfCacheIsSeparate, nodeMetrics } from '../lib/metrics.js';
import { MetricBar } from './MetricBar.js';

const fixed = (v: number | null | undefined, digits: number) => (v == null ? '—' : v.toFixed(digits));

export const NodeBars = memo(function NodeBars({ node }: { node: NodeHardware }) {
  const m = nodeMetrics(node);
  const id = (metric: string) => `metric-${node.name}-${metric}`;
  const gpu = node.gpu;
  const hf = node.hf_cache;

  return (
    <div className="metrics">
      <MetricBar
        label="CPU load"
        pct={m.cpuPct}
        value={`${formatPct(m.cpuPct)} · ${fixed(node.load1, 2)} / ${node.cores ?? '—'} cores`}
        title="1-minute load average divided by the number of CPU cores"
        testId={id('cpu')}
      />
      <MetricBar
        label="RAM"
        pct={m.ramPct}
        value={formatBytePair(node.ram_used, node.ram_total)}
        testId={id('ram')}
      />

      <div className="gpu-name" data-testid={`gpu-name-${node.name}`}>
        {gpu?.name ?? 'No GPU reading'}
      </div>
      <MetricBar
        label={node.gpu_unified_memory ? 'GPU memory (unified)' : 'GPU memory'}
        pct={m.gpuMemPct}
        value={formatBytePair(node.gpu_mem_used, node.gpu_mem_total)}
        title={
          node.gpu_unified_memory
            ? 'The GB10 shares system RAM with the GPU: memory used by GPU processes, out of total RAM'
            : 'Memory used by GPU processes'
        }
        testId={id('gpu-mem')}
      />
      <MetricBar
        label="GPU util"
        pct={m.gpuUtilPct}
        value={formatPct(m.gpuUtilPct)}
        testId={id('gpu-util')}
      />
      <MetricBar
        label="GPU temp"
        pct={m.gpuTempPct}
        value={gpu?.temp_c == null ? '—' : `${Math.round(gpu.temp_c)} °C`}
        title="Drawn against 100 °C"
        testId={id('gpu-temp')}
      />
      <MetricBar
        label="GPU power"
        pct={m.gpuPowerPct}
        value={gpu?.power_w == null ? '—' : `${gpu.power_w.toFixed(1)} W`}
        title={`Drawn against about ${GPU_POWER_REF_W} W, the GB10's power limit`}
        testId={id('gpu-power')}
      />

      <MetricBar
        label="Disk /"
        pct={m.diskPct}
        value={formatBytePair(node.disk_used, node.disk_total)}
        testId={id('disk')}
      />
      {hf && hfCacheIsSeparate(node) ? (
        <MetricBar
          label="HF cache"
          pct={m.hfCachePct}
          value={formatBytePair(hf.used, hf.total)}
          title={`Filesystem holding ${hf.path}`}
          testId={id('hf-cache')}
        />
      ) : null}
    </div>
  );
});
