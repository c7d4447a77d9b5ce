// The top bar's "Connectivity log" (SPEC §3, §15): per node, then per service, the current state
// and since when, a 24 h availability strip, counts and the events (transitions from polling,
// reports from other apps, deep health, the gateway and Wake-on-LAN). Live: every `connectivity`
// envelope refetches it while it is open (api/applyEvents.ts); polls when the stream is down.
import { useQuery } from '@tanstack/react-query';
import {
  connectivityKeys,
  getAvailability,
  getConnectivity,
  STRIP_BUCKET_MIN,
  STRIP_HOURS,
} from '../../api/connectivity.js';
import { useMeta } from '../../hooks/queries.js';
import { fallbackInterval, useStreamState } from '../../hooks/streamState.js';
import { orderSubjects } from '../../lib/connectivity.js';
import { Modal } from '../Modal.js';
import { SubjectSection } from './SubjectSection.js';
import './connectivity.css';

export function ConnectivityDialog() {
  return (
    <Modal
      wide
      title="Connectivity log"
      description="What active polling saw (up, down, and how long each lasted) and what other apps reported, per node and service."
      testId="connectivity-dialog"
      trigger={
        <button type="button" className="btn" data-testid="open-connectivity-log">
          Connectivity log
        </button>
      }
    >
      <ConnectivityBody />
    </Modal>
  );
}

function ConnectivityBody() {
  const stream = useStreamState();
  const { data: meta } = useMeta();
  const log = useQuery({
    queryKey: connectivityKeys.log,
    queryFn: ({ signal }) => getConnectivity(signal),
    refetchInterval: fallbackInterval(stream, 10_000),
  });
  // The strip moves with the clock even when nothing changes.
  const strip = useQuery({
    queryKey: connectivityKeys.availability,
    queryFn: ({ signal }) => getAvailability(signal),
    refetchInterval: 60_000,
  });
  if (log.isPending) return <p className="muted">Loading the connectivity log…</p>;
  if (log.error)
    return <p className="error-text">Could not load the connectivity log: {log.error.message}</p>;

  const subjects = orderSubjects(
    log.data,
    (meta?.nodes ?? []).map((n) => n.name),
  );
  const section = (group: 'node' | 'service') =>
    subjects
      .filter((s) => s.group === group)
      .map((s) => (
        <SubjectSection
          key={s.name}
          name={s.name}
          subject={log.data.subjects[s.name]}
          events={log.data.events.filter((e) => e.subject === s.name)}
          availability={strip.data?.subjects[s.name]}
          hours={strip.data?.hours ?? STRIP_HOURS}
          bucketMin={strip.data?.bucket_min ?? STRIP_BUCKET_MIN}
          // Event times and cell spans are said relative to when the data came, not re-formatted
          // every second (hundreds of locale formats per tick on a small machine).
          loadedAt={log.dataUpdatedAt}
        />
      ));
  return (
    <div className="stack conn-log">
      {strip.error ? (
        <p className="error-text small">Could not load the availability strips: {strip.error.message}</p>
      ) : null}
      <ul className="conn-legend small muted" aria-label="Legend">
        <li>
          <span className="conn-cell conn-cell-up" /> up
        </li>
        <li>
          <span className="conn-cell conn-cell-down" /> down (any outage in the slot)
        </li>
        <li>
          <span className="conn-cell conn-cell-unknown" /> partly unknown
        </li>
        <li>
          <span className="conn-cell conn-cell-nodata" /> no data
        </li>
      </ul>
      <h3 className="subhead">Nodes</h3>
      {section('node')}
      <h3 className="subhead">Services</h3>
      {section('service')}
    </div>
  );
}
