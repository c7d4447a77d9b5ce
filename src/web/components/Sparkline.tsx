// A small uPlot line chart without axes or legend. The plot is created once per mount and fed new
// data with setData; it follows its container's width.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const HEIGHT = 44;

interface SparklineProps {
  /** uPlot aligned data: x in seconds, then y. */
  data: uPlot.AlignedData;
  /** Accessible description, e.g. "CPU load". */
  label: string;
  /** Width of the time window in seconds; the right edge is the newest sample or now. */
  windowS: number;
  /** The y axis runs from 0 to at least this (more if the data goes higher). */
  yMax?: number;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

export function Sparkline({ data, label, windowS, yMax = 100 }: SparklineProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const latest = useRef(data);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 60),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      scales: {
        x: {
          time: true,
          range: (_u, _min, max) => {
            const hi = Math.max(max ?? 0, Date.now() / 1000);
            return [hi - windowS, hi];
          },
        },
        y: { range: (_u, _min, max) => [0, Math.max(yMax, max ?? 0)] },
      },
      series: [
        {},
        {
          stroke: cssVar(el, '--chart-line', '#6ea8fe'),
          fill: cssVar(el, '--chart-fill', 'rgba(110, 168, 254, 0.15)'),
          width: 1.5,
          spanGaps: false,
          points: { show: false },
        },
      ],
    };
    const plot = new uPlot(opts, latest.current, el);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [windowS, yMax]);

  useEffect(() => {
    latest.current = data;
    plotRef.current?.setData(data);
  }, [data]);

  return <div ref={boxRef} className="sparkline" role="img" aria-label={label} />;
}
