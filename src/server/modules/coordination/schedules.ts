// Schedule visibility (SPEC §5): external schedulers register what they will run and when, so the
// dashboard can show it. Spark Control never runs these entries; it only lists them.
import { randomUUID } from 'node:crypto';
import type { ScheduleEntry } from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { Db } from '../../platform/store/db.js';
import { optionalText, requiredText } from './validate.js';

export const MAX_SCHEDULES = 100;
export const SCHEDULE_LIMITS = { name: 100, schedule: 200, model_key: 128, owner: 64, description: 500 };

export interface ScheduleInput {
  name: string;
  schedule: string;
  model_key?: string | null;
  owner?: string | null;
  description?: string | null;
  next_run?: string | null;
}

export interface ScheduleServiceOptions {
  db: Db;
  bus: EventBus;
  now?: () => number;
}

type Row = Omit<ScheduleEntry, 'created_at'> & { created_at: number };

// A date, optionally with a time and zone; Date.parse alone accepts too much ("1", "March 7").
const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseNextRun(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = typeof value === 'string' && ISO_RE.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms))
    throw new AppError('INVALID_INPUT', '"next_run" must be an ISO 8601 date, e.g. 2026-07-01T02:00:00Z.');
  return new Date(ms).toISOString();
}

const toEntry = (r: Row): ScheduleEntry => ({ ...r, created_at: new Date(r.created_at).toISOString() });

export class ScheduleService {
  private readonly now: () => number;

  constructor(private readonly o: ScheduleServiceOptions) {
    this.now = o.now ?? Date.now;
    o.bus.addReplay(() => [{ type: 'schedules', ts: new Date().toISOString(), data: this.list() }]);
  }

  list(): ScheduleEntry[] {
    const rows = this.o.db
      .prepare(
        `SELECT id, name, schedule, model_key, owner, description, next_run, created_at
         FROM schedules ORDER BY created_at, rowid`,
      )
      .all() as Row[];
    return rows.map(toEntry);
  }

  /**
   * Registers an entry. Registering the same name for the same owner again replaces that entry
   * (same id) instead of adding a copy, so a scheduler can re-register on every start.
   */
  add(input: ScheduleInput): ScheduleEntry {
    const L = SCHEDULE_LIMITS;
    const fields = {
      name: requiredText(input.name, 'name', L.name),
      schedule: requiredText(input.schedule, 'schedule', L.schedule),
      model_key: optionalText(input.model_key, 'model_key', L.model_key),
      owner: optionalText(input.owner, 'owner', L.owner),
      description: optionalText(input.description, 'description', L.description, { multiline: true }),
      next_run: parseNextRun(input.next_run),
    };
    const db = this.o.db;
    const row = db
      .transaction((): Row => {
        const existing = db
          .prepare("SELECT id, created_at FROM schedules WHERE name = ? AND coalesce(owner, '') = ?")
          .get(fields.name, fields.owner ?? '') as { id: string; created_at: number } | undefined;
        if (existing) {
          db.prepare(
            `UPDATE schedules SET schedule = @schedule, model_key = @model_key, description = @description,
             next_run = @next_run WHERE id = @id`,
          ).run({ ...fields, id: existing.id });
          return { ...fields, ...existing };
        }
        const { n } = db.prepare('SELECT count(*) AS n FROM schedules').get() as { n: number };
        if (n >= MAX_SCHEDULES)
          throw new AppError(
            'CONFLICT',
            `There are already ${MAX_SCHEDULES} schedule entries; delete unused ones before adding more.`,
          );
        const created: Row = { id: randomUUID(), ...fields, created_at: this.now() };
        db.prepare(
          `INSERT INTO schedules (id, name, schedule, model_key, owner, description, next_run, created_at)
           VALUES (@id, @name, @schedule, @model_key, @owner, @description, @next_run, @created_at)`,
        ).run(created);
        return created;
      })
      .immediate();
    this.publish();
    return toEntry(row);
  }

  remove(id: string): void {
    const { changes } = this.o.db.prepare('DELETE FROM schedules WHERE id = ?').run(id);
    if (changes === 0) throw new AppError('NOT_FOUND', `No schedule entry with id "${id}".`);
    this.publish();
  }

  private publish(): void {
    this.o.bus.publish('schedules', this.list());
  }
}
