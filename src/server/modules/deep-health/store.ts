// Deep health's SQLite part: the last result per service (and since when auto-restart is paused),
// every automatic restart, and the last loopback. The restarts are what the budget counts, so a
// control-plane restart cannot reset it.
import type { DeepCheckResult, LoopbackResult } from '../../../common/services-api.js';
import type { Db } from '../../platform/store/db.js';

/** Restarts kept per service: far more than any window needs, bounded all the same. */
const KEEP_RESTARTS = 200;

export class DeepHealthStore {
  constructor(private readonly db: Db) {}

  lastResults(): Map<string, { result: DeepCheckResult | null; pausedSince: number | null }> {
    const rows = this.db.prepare('SELECT service, result, paused_since FROM deep_health_last').all() as {
      service: string;
      result: string | null;
      paused_since: number | null;
    }[];
    return new Map(
      rows.map((r) => [
        r.service,
        { result: r.result ? (JSON.parse(r.result) as DeepCheckResult) : null, pausedSince: r.paused_since },
      ]),
    );
  }

  saveResult(r: DeepCheckResult): void {
    this.db
      .prepare(
        `INSERT INTO deep_health_last (service, result) VALUES (?, ?)
         ON CONFLICT (service) DO UPDATE SET result = excluded.result`,
      )
      .run(r.service, JSON.stringify(r));
  }

  setPaused(service: string, since: number | null): void {
    this.db
      .prepare(
        `INSERT INTO deep_health_last (service, paused_since) VALUES (?, ?)
         ON CONFLICT (service) DO UPDATE SET paused_since = excluded.paused_since`,
      )
      .run(service, since);
  }

  /** A removed service's last result and paused state (its restarts stay: they are the budget). */
  forget(service: string): void {
    this.db.prepare('DELETE FROM deep_health_last WHERE service = ?').run(service);
  }

  restarts(service: string): number[] {
    const rows = this.db
      .prepare('SELECT at FROM deep_health_restarts WHERE service = ? ORDER BY at')
      .all(service) as { at: number }[];
    return rows.map((r) => r.at);
  }

  addRestart(service: string, at: number, reason: string, jobId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO deep_health_restarts (service, at, reason, job_id) VALUES (?, ?, ?, ?)')
        .run(service, at, reason, jobId);
      this.db
        .prepare(
          `DELETE FROM deep_health_restarts WHERE service = ? AND id NOT IN (
             SELECT id FROM deep_health_restarts WHERE service = ? ORDER BY id DESC LIMIT ?)`,
        )
        .run(service, service, KEEP_RESTARTS);
    })();
  }

  loopback(): LoopbackResult | null {
    const row = this.db.prepare('SELECT result FROM deep_health_loopback WHERE id = 1').get() as
      { result: string } | undefined;
    return row ? (JSON.parse(row.result) as LoopbackResult) : null;
  }

  saveLoopback(r: LoopbackResult): void {
    this.db
      .prepare('INSERT OR REPLACE INTO deep_health_loopback (id, result) VALUES (1, ?)')
      .run(JSON.stringify(r));
  }
}
