// Catalog (ids 20–29): the owner's per-model knob overrides and custom (non-bundled) entries.
// Both are stored as JSON documents validated on the way in and again on the way out, so a
// validator tightened in a later release never lets an old row reach a shell.
import type { Migration } from '../../platform/store/db.js';

export const catalogMigrations: Migration[] = [
  {
    id: 20,
    name: 'catalog knob overrides and custom model entries',
    sql: `
      CREATE TABLE catalog_knobs (
        key TEXT PRIMARY KEY,
        knobs TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE catalog_custom (
        key TEXT PRIMARY KEY,
        entry TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
];
