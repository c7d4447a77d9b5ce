// Read-only schedules that external schedulers registered: name, schedule, model, next run.
import type { ModelsResponse } from '../../common/api.js';
import { useModelsSelect, useSchedules } from '../hooks/llmQueries.js';
import { useNow } from '../hooks/useNow.js';
import { formatWhen } from '../lib/time.js';

const selectNames = (r: ModelsResponse) => new Map(r.models.map((m) => [m.key, m.display_name]));

export function SchedulesList() {
  const { data, error } = useSchedules();
  const { data: names } = useModelsSelect(selectNames);
  const schedules = data?.schedules ?? [];
  const now = useNow();

  return (
    <div className="schedules" data-testid="schedules">
      <span className="subhead">Schedules</span>
      {error && !data ? (
        <span className="small error-text">Couldn't load schedules: {error.message}</span>
      ) : schedules.length === 0 ? (
        <span className="small muted">{data ? 'None registered.' : 'Loading…'}</span>
      ) : (
        <ul className="schedule-list">
          {schedules.map((s) => (
            <li key={s.id} data-testid={`schedule-${s.id}`} title={s.description ?? undefined}>
              <strong>{s.name}</strong>
              <code>{s.schedule}</code>
              <span>{s.model_key ? (names?.get(s.model_key) ?? s.model_key) : 'no model'}</span>
              <span className="muted">next {s.next_run ? formatWhen(s.next_run, now) : '—'}</span>
              {s.owner ? <span className="muted">by {s.owner}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
