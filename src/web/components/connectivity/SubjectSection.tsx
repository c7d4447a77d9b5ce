// One node or service in the connectivity log: its state and since when, its 24 h strip, counts,
// and its events.
import type { ConnectivityEvent, ConnectivitySubject, SubjectAvailability } from '../../../common/api.js';
import { countEvents } from '../../lib/connectivity.js';
import { useNow } from '../../hooks/useNow.js';
import { formatDuration, formatWhenPrecise } from '../../lib/time.js';
import { AvailabilityStrip } from './AvailabilityStrip.js';
import { EventList } from './EventList.js';

const STATE_PILL = { up: 'pill pill-ok', down: 'pill pill-danger', unknown: 'pill pill-muted' } as const;

export interface SubjectSectionProps {
  name: string;
  /** Absent for a subject only reports mention: nobody polls it. */
  subject: ConnectivitySubject | undefined;
  events: ConnectivityEvent[];
  availability: SubjectAvailability | undefined;
  hours: number;
  bucketMin: number;
  /** When the data arrived: the reference for "today" in event times. */
  loadedAt: number;
}

export function SubjectSection(p: SubjectSectionProps) {
  const { name, subject, loadedAt } = p;
  const counts = countEvents(p.events);
  const state = subject?.state ?? 'unknown';
  const a = p.availability;
  return (
    <section className="conn-subject" data-testid={`conn-subject-${name}`} data-state={state}>
      <div className="conn-subject-head">
        <h4 className="subhead">{name}</h4>
        <span className={STATE_PILL[state]} data-testid={`conn-state-${name}`}>
          {subject ? state : 'not polled'}
        </span>
        <SinceLabel name={name} subject={subject} />
      </div>
      <AvailabilityStrip
        name={name}
        availability={a}
        hours={p.hours}
        bucketMin={p.bucketMin}
        now={loadedAt}
      />
      <p className="small" data-testid={`conn-counts-${name}`}>
        {a
          ? `Last ${p.hours} h: ${a.up_pct === null ? 'no known state' : `${a.up_pct} % up`} · ${a.outages} outage${a.outages === 1 ? '' : 's'} · ${a.transitions} transition${a.transitions === 1 ? '' : 's'}. `
          : ''}
        In the log: {counts.transitions} transitions ({counts.outages} down), {counts.reports} report
        {counts.reports === 1 ? '' : 's'}.
      </p>
      <EventList events={p.events} now={loadedAt} />
    </section>
  );
}

/** The only part that ticks: "for 3 min, since 14:05:09". */
function SinceLabel({ name, subject }: { name: string; subject: ConnectivitySubject | undefined }) {
  const now = useNow();
  const changed = subject?.last_change ? Date.parse(subject.last_change) : Number.NaN;
  return (
    <span className="small muted" data-testid={`conn-since-${name}`}>
      {Number.isFinite(changed)
        ? `for ${formatDuration(Math.max(0, (now - changed) / 1000))}, since ${formatWhenPrecise(subject?.last_change, now)}`
        : subject
          ? 'not seen up or down yet'
          : 'only reports from other apps'}
    </span>
  );
}
