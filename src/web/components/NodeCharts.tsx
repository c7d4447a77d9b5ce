// Last-hour sparklines for one node: CPU load %, RAM %, GPU util %, GPU temp — each with its scale.
import { memo, useMemo } from 'react';
import { HISTORY_MINUTES } from '../api/endpoints.js';
import { useNodeHistory } from '../hooks/queries.js';
import { formatPct } from '../lib/format.js';
import { chartSeries, lastValue, scaleMax, type ChartMetric } from '../lib/history.js';
import { Sparkline } from './Sparkline.js';

interface Chart {
  metric: ChartMetric;
  label: string;
  unit: string;
  /** The scale runs from 0 to at least this. */
  floor: number;
  format: (v: number | null) => string;
}

const CHARTS: Chart[] = [
  { metric: 'cpu', label: 'CPU load', unit: '%', floor: 100, format: formatPct },
  { metric: 'ram', label: 'RAM', unit: '%', floor: 100, format: formatPct },
  { metric: 'gpu_util', label: 'GPU util', unit: '%', floor: 100, format: formatPct },
  {
    metric: 'gpu_temp',
    label: 'GPU temp',
    unit: '°C',
    floor: 100,
    format: (v) => (v == null ? '—' : `${Math.round(v)} °C`),
  },
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
          const top = scaleMax(s[1], c.floor);
          const scale = `0–${top} ${c.unit}`;
          return (
            <div key={c.metric} className="chart">
              <div className="chart-head">
                <span className="metric-label">{c.label}</span>
                <span className="metric-value">{c.format(lastValue(s[1]))}</span>
              </div>
              <Sparkline
                data={s}
                label={`${c.label} on ${name}, last ${HISTORY_MINUTES} minutes, scale ${scale}`}
                windowS={HISTORY_MINUTES * 60}
                yMax={top}
              />
              <div className="chart-scale" data-testid={`chart-scale-${name}-${c.metric}`}>
                <span>{HISTORY_MINUTES} min ago</span>
                <span>scale {scale}</span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
});
