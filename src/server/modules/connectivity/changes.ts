// Every up/down change active polling saw, per subject (migration 116): what the availability
// strip is computed from. Kept for a little longer than the longest window the route allows, and
// each subject's newest change is kept however old, since it says what state a quiet subject is in.
import type { ConnectivityState } from '../../../common/api.js';
import type { Db } from '../../platform/store/db.js';
import type { StateChange } from './availability.js';

export const MAX_HOURS = 168;
const RETENTION_MS = (MAX_HOURS + 24) * 3_600_000;

export class ChangeStore {
  constructor(private readonly db: Db) {}

  /** Called inside the transaction that changes the state. */
  record(subject: string, at: number, state: ConnectivityState): void {
    this.db
      .prepare('INSERT INTO connectivity_changes (subject, ts, state) VALUES (?, ?, ?)')
      .run(subject, at, state);
    this.db
      .prepare(
        `DELETE FROM connectivity_changes WHERE ts < ? AND id NOT IN (
           SELECT max(id) FROM connectivity_changes GROUP BY subject)`,
      )
      .run(at - RETENTION_MS);
  }

  /**
   * The subject's changes from `from` on, oldest first, led by the last one before `from` (the
   * state the window opens in). With none stored at all, the current state row stands in for the
   * change that set it (a log older than this table, whose events were pruned).
   */
  since(
    subject: string,
    from: number,
    current: { state: ConnectivityState; last_change: number | null } | undefined,
  ): StateChange[] {
    const before = this.db
      .prepare(
        `SELECT ts AS at, state FROM connectivity_changes WHERE subject = ? AND ts < ?
         ORDER BY ts DESC, id DESC LIMIT 1`,
      )
      .all(subject, from) as StateChange[];
    const within = this.db
      .prepare(
        'SELECT ts AS at, state FROM connectivity_changes WHERE subject = ? AND ts >= ? ORDER BY ts, id',
      )
      .all(subject, from) as StateChange[];
    const changes = [...before, ...within];
    if (changes.length === 0 && current && current.state !== 'unknown' && current.last_change !== null)
      return [{ at: current.last_change, state: current.state }];
    return changes;
  }
}
