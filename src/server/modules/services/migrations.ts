import type { Migration } from '../../platform/store/db.js';

// Services own ids 70–74 (SPEC §7: custom services installed through the NIM installer).
export const servicesMigrations: Migration[] = [
  {
    id: 70,
    name: 'services: custom services (installed NIMs and other containers shown as cards)',
    sql: `
      CREATE TABLE custom_services (
        name TEXT PRIMARY KEY,
        def TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
];
