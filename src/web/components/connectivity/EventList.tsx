// One subject's events, newest first: transitions with how long the period before lasted, reports
// with who sent them, the error and the latency. All of it is text from the cluster or other apps:
// React escapes it.
import { memo, useState } from 'react';
import type { ConnectivityEvent } from '../../../common/api.js';
import { describeEvent } from '../../lib/connectivity.js';
import { formatWhenPrecise } from '../../lib/time.js';

const SHOWN = 10;

export const EventList = memo(function EventList({
  events,
  now,
}: {
  events: ConnectivityEvent[];
  now: number;
}) {
  const [all, setAll] = useState(false);
  if (events.length === 0) return <p className="muted small">No events in the log.</p>;
  const shown = all ? events : events.slice(0, SHOWN);
  return (
    <>
      <ol className="conn-events">
        {shown.map((e) => {
          const d = describeEvent(e);
          return (
            <li
              key={e.id}
              className="conn-event"
              data-testid="conn-event"
              data-kind={e.kind}
              data-ok={String(e.ok)}
            >
              <time dateTime={e.ts} title={e.ts} className="conn-event-time">
                {formatWhenPrecise(e.ts, now)}
              </time>
              <span className={`conn-event-what conn-tone-${d.tone}`}>{d.what}</span>
              {d.details.map((line, i) => (
                <span key={i} className="conn-event-detail muted">
                  {line}
                </span>
              ))}
            </li>
          );
        })}
      </ol>
      {events.length > SHOWN ? (
        <button type="button" className="btn btn-ghost" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${events.length} events`}
        </button>
      ) : null}
    </>
  );
});
