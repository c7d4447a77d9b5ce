// SQL for swaps. Each transition is one UPDATE (a crash never leaves a swap between two states),
// and past durations of ready swaps give the expected time shown to users.
import type { SwapState } from '../../../common/api.js';
import type { Db } from '../../platform/store/db.js';
import type { SwapModel } from './model.js';

export interface SwapRow {
  id: string;
  key: string;
  display_name: string;
  model: string;
  mode: 'solo' | 'cluster';
  nodes: string[];
  snapshot: SwapModel;
  state: SwapState;
  phase: string;
  holder: string | null;
  error: string | null;
  previous_model: string | null;
  launch_cmd: string;
  log_since: number | null;
  started_at: number;
  finished_at: number | null;
  timings: Partial<Record<SwapState, number>>;
  expected_s: number;
}

type Raw = Omit<SwapRow, 'nodes' | 'snapshot' | 'timings'> & {
  nodes: string;
  snapshot: string;
  timings: string;
};

const fromRaw = (r: Raw): SwapRow => ({
  ...r,
  nodes: JSON.parse(r.nodes) as string[],
  snapshot: JSON.parse(r.snapshot) as SwapModel,
  timings: JSON.parse(r.timings) as SwapRow['timings'],
});

export class SwapStore {
  constructor(private readonly db: Db) {}

  insert(s: SwapRow): void {
    this.db
      .prepare(
        `INSERT INTO swaps (id, key, display_name, model, mode, nodes, snapshot, state, phase, holder, error,
           previous_model, launch_cmd, log_since, started_at, finished_at, timings, expected_s)
         VALUES (@id, @key, @display_name, @model, @mode, @nodes, @snapshot, @state, @phase, @holder, @error,
           @previous_model, @launch_cmd, @log_since, @started_at, @finished_at, @timings, @expected_s)`,
      )
      .run({
        ...s,
        nodes: JSON.stringify(s.nodes),
        snapshot: JSON.stringify(s.snapshot),
        timings: JSON.stringify(s.timings),
      });
  }

  update(
    id: string,
    patch: Partial<Pick<SwapRow, 'state' | 'phase' | 'error' | 'finished_at' | 'timings' | 'log_since'>>,
  ): void {
    const fields = Object.keys(patch);
    if (fields.length === 0) return;
    const values = { ...patch, id, ...(patch.timings ? { timings: JSON.stringify(patch.timings) } : {}) };
    this.db
      .prepare(`UPDATE swaps SET ${fields.map((f) => `${f} = @${f}`).join(', ')} WHERE id = @id`)
      .run(values);
  }

  /** Forgets a swap that never started (refused before its job existed). */
  remove(id: string): void {
    this.db.prepare('DELETE FROM swaps WHERE id = ?').run(id);
  }

  get(id: string): SwapRow | null {
    const r = this.db.prepare('SELECT * FROM swaps WHERE id = ?').get(id) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  latest(): SwapRow | null {
    const r = this.db.prepare('SELECT * FROM swaps ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as
      Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  /** Durations (s) of the last successful swaps of a model, newest first. */
  pastDurations(key: string, limit = 5): number[] {
    const rows = this.db
      .prepare(
        `SELECT (finished_at - started_at) / 1000.0 AS s FROM swaps
         WHERE key = ? AND state = 'ready' AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?`,
      )
      .all(key, limit) as { s: number }[];
    return rows.map((r) => r.s);
  }
}

/** Expected seconds: the median of past durations when there are any, else the catalog's figure. */
export function expectedSeconds(past: number[], fallback: number): number {
  if (past.length === 0) return fallback;
  const sorted = [...past].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}
