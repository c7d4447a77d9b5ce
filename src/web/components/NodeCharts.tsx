// Last-hour sparklines for one node: CPU load %, RAM %, GPU util %, GPU temp.
import { memo, useMemo } from 'react';
import { HISTORY_MINUTES } from '../api/endpoints.js';
import { useNodeHistory } from '../hooks/queries.js';
import { formatPct } from '../lib/format.js';
import { chartSeries, lastValue, type ChartMetric } from '../lib/history.js';
import { Sparkline } from './Sparkline.js';

const CHARTS: { metric: ChartMetric; label: string; format: (v: number | null) => string }[] = [
  { metric: 'cpu', label: 'CPU load', format: formatPct },
  { metric: 'ram', label: 'RAM', format: formatPct },
  { metric: 'gpu_util', label: 'GPU util', format: formatPct },
  { metric: 'gpu_temp', label: 'GPU temp', format: (v) => (v == null ? '—' : `${Math.round(v)} °C`) },
];

export const NodeCharts = memo(function NodeCharts({ name }: { name: string }) {
  const { data, error } = useNodeHistory(name);
  const samples = data?.samples;
  const series = useMemo(() => CHARTS.map((c) => chartSeries(samples ?? [], c.metric)), [samples]);

  return (
    <div className="charts" data-testid={`charts-${name}`}>
      <div className="charts-head small muted">
        Last {HISTORY_MINUTES} min
        {error ? <span className="error-text"> · history unavailable: {error.message}</span> : null}
      </div>
      <div className="charts-grid">
        {CHARTS.map((c, i) => {
          const s = series[i] ?? [[], []];
          return (
            <div key={c.metric} className="chart">
              <div className="chart-head">
                <span className="metric-label">{c.label}</span>
                <span className="metric-value">{c.format(lastValue(s[1]))}</span>
              </div>
              <Sparkline
                data={s}
                label={`${c.label} on ${name}, last ${HISTORY_MINUTES} minutes`}
                windowS={HISTORY_MINUTES * 60}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
});
