// Custom services (installed NIMs) in SQLite, one JSON definition per row. A row that no longer
// validates (edited by hand) is skipped rather than breaking the services list.
import type { Db } from '../../platform/store/db.js';
import type { ServiceDef } from './registry.js';

/**
 * The rows as last read, per database: GET /api/services lists them on every dashboard poll, and
 * every write goes through a store on the same Db, which drops the entry.
 */
const cache = new WeakMap<Db, ServiceDef[]>();

export class CustomServiceStore {
  constructor(private readonly db: Db) {}

  list(): ServiceDef[] {
    let hit = cache.get(this.db);
    if (!hit) {
      hit = this.read();
      cache.set(this.db, hit);
    }
    return hit;
  }

  private read(): ServiceDef[] {
    const rows = this.db.prepare('SELECT def FROM custom_services ORDER BY created_at, rowid').all() as {
      def: string;
    }[];
    const out: ServiceDef[] = [];
    for (const r of rows) {
      try {
        const d = JSON.parse(r.def) as ServiceDef;
        if (typeof d.name === 'string' && typeof d.container === 'string') out.push({ ...d, custom: true });
      } catch {
        // unreadable row: skipped (see top)
      }
    }
    return out;
  }

  put(def: ServiceDef): void {
    this.db
      .prepare(
        `INSERT INTO custom_services (name, def, created_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET def = excluded.def`,
      )
      .run(def.name, JSON.stringify(def), Date.now());
    cache.delete(this.db);
  }

  remove(name: string): boolean {
    const removed = this.db.prepare('DELETE FROM custom_services WHERE name = ?').run(name).changes > 0;
    cache.delete(this.db);
    return removed;
  }
}
