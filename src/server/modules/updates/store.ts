// SQL for launcher updates and rollbacks: one row per run, written at every phase change, so a
// restart shows where a run stopped (and marks it interrupted) and a rollback finds its commit.
import type { UpdateRecord } from '../../../common/updates-api.js';
import type { Db } from '../../platform/store/db.js';

/** A record as stored: the public shape plus the smoke test's swap, closed after a restart. */
export type StoredUpdate = UpdateRecord & { smoke_swap_id: string | null };

type Raw = Omit<StoredUpdate, 'timings'> & { timings: string };

const fromRaw = (r: Raw): StoredUpdate => ({
  ...r,
  timings: JSON.parse(r.timings) as UpdateRecord['timings'],
});

export const toPublic = ({ smoke_swap_id: _swap, ...r }: StoredUpdate): UpdateRecord => r;

export class UpdateStore {
  constructor(private readonly db: Db) {}

  insert(r: StoredUpdate): void {
    this.db
      .prepare(
        `INSERT INTO launcher_updates (id, job_id, kind, state, phase, from_commit, to_commit, rollback_image,
           smoke_model, smoke_result, smoke_swap_id, error, started_at, finished_at, timings)
         VALUES (@id, @job_id, @kind, @state, @phase, @from_commit, @to_commit, @rollback_image,
           @smoke_model, @smoke_result, @smoke_swap_id, @error, @started_at, @finished_at, @timings)`,
      )
      .run({ ...r, timings: JSON.stringify(r.timings) });
  }

  /** Writes the whole row (the job owns its record; one UPDATE per change). */
  save(r: StoredUpdate): void {
    this.db
      .prepare(
        `UPDATE launcher_updates SET state = @state, phase = @phase, to_commit = @to_commit,
           rollback_image = @rollback_image, smoke_result = @smoke_result, smoke_swap_id = @smoke_swap_id,
           error = @error, finished_at = @finished_at, timings = @timings WHERE id = @id`,
      )
      .run({
        id: r.id,
        state: r.state,
        phase: r.phase,
        to_commit: r.to_commit,
        rollback_image: r.rollback_image,
        smoke_result: r.smoke_result,
        smoke_swap_id: r.smoke_swap_id,
        error: r.error,
        finished_at: r.finished_at,
        timings: JSON.stringify(r.timings),
      });
  }

  /** Forgets a run that never started (refused before its job existed). */
  remove(id: string): void {
    this.db.prepare('DELETE FROM launcher_updates WHERE id = ?').run(id);
  }

  get(id: string): StoredUpdate | null {
    const r = this.db.prepare('SELECT * FROM launcher_updates WHERE id = ?').get(id) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  latest(kind?: UpdateRecord['kind']): StoredUpdate | null {
    const r = (
      kind
        ? this.db
            .prepare(
              'SELECT * FROM launcher_updates WHERE kind = ? ORDER BY started_at DESC, rowid DESC LIMIT 1',
            )
            .get(kind)
        : this.db.prepare('SELECT * FROM launcher_updates ORDER BY started_at DESC, rowid DESC LIMIT 1').get()
    ) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  /** Rows a previous process left running (none of ours can be running at start-up). */
  running(): StoredUpdate[] {
    return (this.db.prepare(`SELECT * FROM launcher_updates WHERE state = 'running'`).all() as Raw[]).map(
      fromRaw,
    );
  }
}
