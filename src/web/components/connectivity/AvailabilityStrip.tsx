// A subject's last 24 hours as a row of cells, one per bucket, coloured by what polling saw; each
// cell's tooltip says its time span and shares.
import { memo } from 'react';
import type { SubjectAvailability } from '../../../common/api.js';
import { cellKind, cellTitle } from '../../lib/connectivity.js';

export const AvailabilityStrip = memo(function AvailabilityStrip({
  name,
  availability,
  hours,
  bucketMin,
  now,
}: {
  name: string;
  availability: SubjectAvailability | undefined;
  hours: number;
  bucketMin: number;
  now: number;
}) {
  if (!availability) return <p className="muted small">No availability data for {name} yet.</p>;
  const summary =
    availability.up_pct === null
      ? `nothing known about ${name} in the last ${hours} h`
      : `${name} was up ${availability.up_pct} % of the known time in the last ${hours} h`;
  return (
    <div className="conn-strip-wrap">
      <div className="conn-strip" role="img" aria-label={summary} data-testid={`conn-strip-${name}`}>
        {availability.buckets.map((b) => {
          const kind = cellKind(b);
          return (
            <span
              key={b.start}
              className={`conn-cell conn-cell-${kind}`}
              data-kind={kind}
              title={cellTitle(b, bucketMin, now)}
            />
          );
        })}
      </div>
      <div className="conn-strip-axis muted small" aria-hidden="true">
        <span>{hours} h ago</span>
        <span>now</span>
      </div>
    </div>
  );
});
