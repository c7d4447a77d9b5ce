// SQL for the owner's catalog changes: knob overrides per model key and custom entries. Every
// multi-row change runs in one transaction so a crash never leaves knobs behind for an entry
// that is gone (or stale knobs attached to a newly added one).
import type { Knobs } from '../../../common/api.js';
import type { Db } from '../../platform/store/db.js';
import { checkEntry, type CatalogEntry } from './entry.js';
import { validateKnobs } from './knobs.js';

/** A stored row that no longer passes validation; it is skipped, and reported so it can be logged. */
export interface StoreProblem {
  key: string;
  problem: string;
}

export class CatalogStore {
  private readonly selectKnobs;
  private readonly upsertKnobs;
  private readonly deleteKnobs;
  private readonly selectCustom;
  private readonly insertCustom;
  private readonly deleteCustom;
  private readonly countCustomRows;

  constructor(private readonly db: Db) {
    this.selectKnobs = db.prepare('SELECT key, knobs FROM catalog_knobs');
    this.upsertKnobs = db.prepare(`INSERT INTO catalog_knobs (key, knobs, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET knobs = excluded.knobs, updated_at = excluded.updated_at`);
    this.deleteKnobs = db.prepare('DELETE FROM catalog_knobs WHERE key = ?');
    this.selectCustom = db.prepare('SELECT key, entry FROM catalog_custom ORDER BY created_at, rowid');
    this.insertCustom = db.prepare(
      'INSERT INTO catalog_custom (key, entry, created_at) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING',
    );
    this.deleteCustom = db.prepare('DELETE FROM catalog_custom WHERE key = ?');
    this.countCustomRows = db.prepare('SELECT count(*) AS n FROM catalog_custom');
  }

  knobs(problems: StoreProblem[] = []): Map<string, Partial<Knobs>> {
    const out = new Map<string, Partial<Knobs>>();
    for (const row of this.selectKnobs.all() as { key: string; knobs: string }[]) {
      try {
        out.set(row.key, validateKnobs(JSON.parse(row.knobs)));
      } catch (e) {
        problems.push({ key: row.key, problem: `stored knobs ignored: ${(e as Error).message}` });
      }
    }
    return out;
  }

  /** Replaces the stored knobs of `key`; an empty object removes the row (nothing overridden). */
  setKnobs(key: string, knobs: Partial<Knobs>, now = Date.now()): void {
    if (Object.keys(knobs).length === 0) this.deleteKnobs.run(key);
    else this.upsertKnobs.run(key, JSON.stringify(knobs), now);
  }

  customEntries(problems: StoreProblem[] = []): CatalogEntry[] {
    const out: CatalogEntry[] = [];
    for (const row of this.selectCustom.all() as { key: string; entry: string }[]) {
      let raw: unknown;
      try {
        raw = JSON.parse(row.entry);
      } catch {
        problems.push({ key: row.key, problem: 'stored custom entry is not valid JSON' });
        continue;
      }
      const { key: _key, ...fields } = raw as Record<string, unknown>;
      const r = checkEntry(row.key, fields, `custom model ${row.key}`);
      if (r.entry) out.push(r.entry);
      else problems.push({ key: row.key, problem: r.problems.join('; ') });
    }
    return out;
  }

  /** How many custom entries are stored (valid or not). */
  customCount(): number {
    return (this.countCustomRows.get() as { n: number }).n;
  }

  /** Inserts a custom entry (dropping knobs left over under the same key); false if the key exists. */
  addCustom(entry: CatalogEntry, now = Date.now()): boolean {
    return this.db.transaction(() => {
      const inserted = this.insertCustom.run(entry.key, JSON.stringify(entry), now).changes === 1;
      if (inserted) this.deleteKnobs.run(entry.key);
      return inserted;
    })();
  }

  /** Removes a custom entry and its knobs; false if there was no such entry. */
  removeCustom(key: string): boolean {
    return this.db.transaction(() => {
      const removed = this.deleteCustom.run(key).changes === 1;
      if (removed) this.deleteKnobs.run(key);
      return removed;
    })();
  }
}
