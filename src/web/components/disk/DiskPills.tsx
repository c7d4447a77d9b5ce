// Per-node on-disk pills on a model card: size when complete, incomplete, missing or unknown.
import { useCallback } from 'react';
import type { DiskStatusResponse } from '../../../common/disk-api.js';
import { useDiskStatus } from './diskApi.js';
import { diskPills } from './diskView.js';

export function DiskPills({ modelKey }: { modelKey: string }) {
  const select = useCallback((r: DiskStatusResponse) => r.models.find((m) => m.key === modelKey), [modelKey]);
  const { data } = useDiskStatus(select);
  if (!data) return null;
  return (
    <div className="pill-row" data-testid={`disk-pills-${modelKey}`} aria-label="Weights on each Spark">
      {diskPills(data).map((p) => (
        <span
          key={p.node}
          className={p.className}
          title={p.title}
          data-testid={`disk-pill-${modelKey}-${p.node}`}
        >
          {p.label}
        </span>
      ))}
    </div>
  );
}
