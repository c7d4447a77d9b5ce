// A labelled horizontal bar; warn colour above 80 %, danger above 92 %.
import { barLevel, clampPct } from '../lib/metrics.js';

interface MetricBarProps {
  label: string;
  /** The reading as text, e.g. "45.2 / 128.5 GB". */
  value: string;
  /** Fill in percent of the bar (values above 100 are clamped). */
  pct: number | null;
  title?: string;
  testId?: string;
}

export function MetricBar({ label, value, pct, title, testId }: MetricBarProps) {
  const level = barLevel(pct);
  const width = clampPct(pct);
  return (
    <div className={`metric metric-${level}`} title={title} data-testid={testId} data-level={level}>
      <div className="metric-head">
        <span className="metric-label">{label}</span>
        <span className="metric-value">{value}</span>
      </div>
      <div
        className="bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct == null ? undefined : Math.round(width)}
        aria-valuetext={value}
      >
        <div className="bar-fill" style={{ width: `${width}%` }} />
      </div>
    </div>
  );
}
